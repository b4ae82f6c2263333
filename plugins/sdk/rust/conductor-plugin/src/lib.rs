// conductor-plugin: the Rust SDK for Conductor WebAssembly plugins (plugin ABI v1, docs/plugin-authors.md).
// Must never export anything by itself (only `plugin!` does, in the author's crate) nor trap on bad input.

//! The Rust SDK for Conductor plugins (plugin ABI v1).
//!
//! A plugin is a `cdylib` crate built for `wasm32-wasip1` (`wasm32-wasi` on older toolchains). You write one
//! function that takes the parsed [`Input`] and returns `Result<(), Error>`; the [`plugin!`] macro generates the
//! raw exports the host calls (`execute`, `alloc`, `dealloc`, `init`):
//!
//! ```no_run
//! use conductor_plugin::{info, plugin, Error, Input};
//!
//! plugin! {
//!     metadata: r#"{"name":"hello","version":"0.1.0","type":"action","capabilities":[],
//!                   "actions":[{"name":"greet","parameters":["who"]}]}"#,
//!     execute: execute,
//! }
//!
//! fn execute(input: Input) -> Result<(), Error> {
//!     match input.action() {
//!         "greet" => {
//!             let who = input.str("who")?.unwrap_or("world");
//!             info!("Hello, {}!", who);
//!             Ok(())
//!         }
//!         other => Err(Error::new(format!("unknown action \"{}\"", other))),
//!     }
//! }
//! ```
//!
//! What the SDK does around your function:
//! - it parses the input ([`Input::parse`]); input it cannot use (not JSON, not an object, …) makes `execute`
//!   log the reason at error level and return 2, without calling your function;
//! - `Ok(())` returns 0; `Err(e)` logs `e.message()` at error level and returns `e.code()` (never 0);
//! - `init` hands the host your metadata JSON.
//!
//! The rest of the surface:
//! - logging: [`debug!`], [`info!`], [`warn!`], [`error!`] (format-style) and [`log`]'s functions;
//! - the capability-gated host functions, each returning [`HostError`] for the host's error codes:
//!   [`http_request`] / [`HttpRequest`] (`network`), [`exec`] / [`Exec`] (`subprocess`), [`midi_send`],
//!   [`note_on`], [`note_off`], [`control_change`] (`midi`), [`notify`] (`systemcontrol`).
//!   Calling one without the grant fails the whole call (it does not return).
//!
//! Off `wasm32` (e.g. `cargo test` on your machine) the crate compiles with stand-in host functions: log lines go
//! to stderr and the capability-gated functions return [`HostError::Unavailable`], so the pure parts of a plugin
//! can be unit-tested natively.

#![warn(missing_docs)]

mod error;
mod host;
mod input;
pub mod log;
mod sys;

#[doc(hidden)]
#[path = "rt.rs"]
pub mod __rt;

pub use error::{Error, HostError};
pub use host::{
    control_change, exec, http_request, midi_send, note_off, note_on, notify, Exec, ExecOutput, HttpRequest, HttpResponse,
    DEFAULT_CAPACITY,
};
pub use input::{Context, FromParam, Input, ParamError};
pub use log::Level;

/// Re-exported so plugins can use the same `serde_json` (e.g. `conductor_plugin::serde_json::json!`).
pub use serde_json;

/// Generates the plugin's raw exports in your crate (put it once, at the top level of `lib.rs`):
///
/// | export | what it does |
/// |---|---|
/// | `execute(ptr, len) -> i32` | parses the input, calls your function, logs an error's message and returns its code |
/// | `alloc(size) -> ptr`, `dealloc(ptr, size)` | the buffer the host writes the input into |
/// | `init() -> i64` | returns `(ptr << 32) \| len` of the metadata JSON |
/// | `shutdown()` | only with the optional `shutdown:` entry: called once before the plugin is unloaded |
///
/// ```ignore
/// conductor_plugin::plugin! {
///     metadata: include_str!("../plugin.json"),   // a &'static str holding the metadata JSON
///     execute: execute,                           // fn(Input) -> Result<(), Error> (or a closure)
///     shutdown: on_shutdown,                      // optional: fn()
/// }
/// ```
///
/// The Rust names of the generated functions start with `__conductor_plugin_`, so your own function may be called
/// `execute`.
#[macro_export]
macro_rules! plugin {
    (metadata: $metadata:expr, execute: $execute:expr $(, shutdown: $shutdown:expr)? $(,)?) => {
        #[doc(hidden)]
        #[export_name = "execute"]
        pub unsafe extern "C" fn __conductor_plugin_execute(ptr: *const u8, len: i32) -> i32 {
            // SAFETY: the host passes the input's location in this module's memory.
            $crate::__rt::execute(ptr, len, $execute)
        }

        #[doc(hidden)]
        #[export_name = "alloc"]
        pub extern "C" fn __conductor_plugin_alloc(size: i32) -> *mut u8 {
            $crate::__rt::alloc(size)
        }

        #[doc(hidden)]
        #[export_name = "dealloc"]
        pub unsafe extern "C" fn __conductor_plugin_dealloc(ptr: *mut u8, size: i32) {
            $crate::__rt::dealloc(ptr, size)
        }

        #[doc(hidden)]
        #[export_name = "init"]
        pub extern "C" fn __conductor_plugin_init() -> i64 {
            $crate::__rt::init($metadata)
        }

        $(
            #[doc(hidden)]
            #[export_name = "shutdown"]
            pub extern "C" fn __conductor_plugin_shutdown() {
                ($shutdown)()
            }
        )?
    };
}
