// Runtime glue behind the `plugin!` macro: the bodies of the raw ABI exports execute / alloc / dealloc / init.
// Must never trap on bad input (unparseable input → code 2, logged) and never return 0 for a failed action.

use std::alloc::Layout;

use crate::error::Error;
use crate::input::Input;
use crate::log;

fn layout(size: i32) -> Option<Layout> {
    if size < 0 {
        return None;
    }
    Layout::from_size_align((size as usize).max(1), 1).ok()
}

/// `alloc(size) -> ptr`: a buffer for the host to write the input into; NULL (0) for a negative size or when
/// memory is exhausted.
pub fn alloc(size: i32) -> *mut u8 {
    match layout(size) {
        // SAFETY: the layout has a non-zero size.
        Some(l) => unsafe { std::alloc::alloc(l) },
        None => std::ptr::null_mut(),
    }
}

/// `dealloc(ptr, size)`: frees a buffer from [`alloc`] of that size.
///
/// # Safety
/// `ptr` must come from [`alloc`] called with the same `size`, and not be freed yet (or be NULL).
pub unsafe fn dealloc(ptr: *mut u8, size: i32) {
    if let (false, Some(l)) = (ptr.is_null(), layout(size)) {
        std::alloc::dealloc(ptr, l);
    }
}

/// Turns an action's result into `execute`'s return value: 0, or the error's code after logging its message
/// at error level.
pub fn finish(result: Result<(), Error>) -> i32 {
    match result {
        Ok(()) => 0,
        Err(e) => {
            log::error(e.message());
            e.code()
        }
    }
}

/// `execute(ptr, len) -> i32`: parses the input and runs the action.
///
/// # Safety
/// `ptr..ptr+len` must be readable (the host guarantees it); a NULL `ptr` or `len <= 0` is an empty input.
pub unsafe fn execute<F>(ptr: *const u8, len: i32, action: F) -> i32
where
    F: FnOnce(Input) -> Result<(), Error>,
{
    let bytes: &[u8] = if ptr.is_null() || len <= 0 { &[] } else { std::slice::from_raw_parts(ptr, len as usize) };
    finish(Input::parse(bytes).and_then(action))
}

/// `init() -> i64`: `(ptr << 32) | len` of the metadata JSON (a `&'static str`, so it outlives the call).
pub fn init(metadata: &'static str) -> i64 {
    pack(metadata.as_ptr() as usize as u64, metadata.len() as u64)
}

fn pack(ptr: u64, len: u64) -> i64 {
    ((ptr << 32) | (len & 0xFFFF_FFFF)) as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packs_pointer_and_length() {
        assert_eq!(pack(0x1234, 56), 0x0000_1234_0000_0038);
        assert_eq!(pack(0xFFFF_FFF0, 3) as u64, 0xFFFF_FFF0_0000_0003);
    }

    #[test]
    fn execute_maps_results_to_codes() {
        let run = |text: &str, f: fn(Input) -> Result<(), Error>| unsafe { execute(text.as_ptr(), text.len() as i32, f) };
        assert_eq!(run(r#"{"action":"a"}"#, |i| if i.action() == "a" { Ok(()) } else { Err("no".into()) }), 0);
        assert_eq!(run(r#"{"action":"b"}"#, |_| Err(Error::with_code(42, "custom"))), 42);
        assert_eq!(run(r#"{"action":"b"}"#, |_| Err("plain".into())), 1);
        assert_eq!(run(r#"{"n":"x"}"#, |i| i.int("n").map(|_| ()).map_err(Error::from)), 2);
        assert_eq!(run("not json", |_| Ok(())), 2);
        assert_eq!(unsafe { execute(std::ptr::null(), 0, |_| Ok(())) }, 2);
    }

    #[test]
    fn alloc_and_dealloc_round_trip() {
        for size in [0, 1, 100, 65536] {
            let p = alloc(size);
            assert!(!p.is_null());
            unsafe { dealloc(p, size) };
        }
        assert!(alloc(-1).is_null());
        unsafe { dealloc(std::ptr::null_mut(), 5) };
    }
}
