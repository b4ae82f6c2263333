// The raw `conductor` host imports (plugin ABI v1) and, off wasm32, stand-ins so the crate's unit tests run natively.
// Must never be used directly by plugin authors' code paths that need safety: the wrappers in `host`/`log` check lengths.

#[cfg(target_arch = "wasm32")]
mod imp {
    #[link(wasm_import_module = "conductor")]
    extern "C" {
        #[link_name = "log"]
        pub fn conductor_log(level: i32, ptr: *const u8, len: i32);
        #[link_name = "exec"]
        pub fn conductor_exec(req_ptr: *const u8, req_len: i32, out_ptr: *mut u8, out_cap: i32) -> i32;
        #[link_name = "midi_send"]
        pub fn conductor_midi_send(ptr: *const u8, len: i32) -> i32;
        #[link_name = "notify"]
        pub fn conductor_notify(title_ptr: *const u8, title_len: i32, body_ptr: *const u8, body_len: i32) -> i32;
        #[link_name = "http_request"]
        pub fn conductor_http_request(req_ptr: *const u8, req_len: i32, out_ptr: *mut u8, out_cap: i32) -> i32;
    }
}

/// Off wasm32 (unit tests, `cargo doc`): log lines go to stderr, every capability-gated call returns −5 (unavailable).
#[cfg(not(target_arch = "wasm32"))]
#[allow(clippy::missing_safety_doc)]
mod imp {
    pub unsafe fn conductor_log(level: i32, ptr: *const u8, len: i32) {
        let bytes = std::slice::from_raw_parts(ptr, len as usize);
        eprintln!("[conductor.log {}] {}", level, String::from_utf8_lossy(bytes));
    }
    pub unsafe fn conductor_exec(_: *const u8, _: i32, _: *mut u8, _: i32) -> i32 {
        -5
    }
    pub unsafe fn conductor_midi_send(_: *const u8, _: i32) -> i32 {
        -5
    }
    pub unsafe fn conductor_notify(_: *const u8, _: i32, _: *const u8, _: i32) -> i32 {
        -5
    }
    pub unsafe fn conductor_http_request(_: *const u8, _: i32, _: *mut u8, _: i32) -> i32 {
        -5
    }
}

pub(crate) use imp::*;

/// A length as the ABI's i32; `None` when it does not fit (cannot happen for wasm32 memory, but checked anyway).
pub(crate) fn len_i32(len: usize) -> Option<i32> {
    i32::try_from(len).ok()
}
