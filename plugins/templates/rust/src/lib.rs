// {{name}}: a Conductor plugin; this is the file you edit (one function, `execute`, runs every action).
// It must never panic on user input (a panic aborts the call): return an `Error` instead.
use conductor_plugin::{info, plugin, Error, Input};

// The raw exports the host calls (execute, alloc, dealloc, init), with the metadata from plugin.json.
plugin! {
    metadata: include_str!("../plugin.json"),
    execute: execute,
}

/// Runs one action. `Ok(())` returns 0; `Err(e)` logs `e.message()` at error level and returns `e.code()`.
fn execute(input: Input) -> Result<(), Error> {
    match input.action() {
        "greet" => greet(&input),
        other => Err(Error::new(format!("unknown action \"{}\"", other))),
    }
}

/// `greet`: logs a greeting for the `who` param (default "world"), naming the trigger's note if there is one.
fn greet(input: &Input) -> Result<(), Error> {
    let who = input.str("who")?.unwrap_or("world");
    match input.context().note {
        Some(note) => info!("Hello, {}! (note {})", who, note),
        None => info!("Hello, {}!", who),
    }
    Ok(())
}
