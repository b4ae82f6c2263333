// AssemblyScript SDK for Conductor plugins — the raw `conductor` host imports (the module name is this file's name).
// Must declare exactly the host's signatures and nothing else; plugin code should use the safe wrappers in host.ts/log.ts.
//
// AssemblyScript imports a `declare function` from the module named after the file that declares it, under the
// function's own name: so this file must stay `conductor.ts` (the same holds for wasi_snapshot_preview1.ts). Each
// import appears in the built module only if it is called.

/** log(level 0..3, ptr, len): a UTF-8 log line. */
export declare function log(level: i32, ptr: usize, len: usize): void;
/** exec(req_ptr, req_len, out_ptr, out_cap) -> bytes written, or an error code (needs "subprocess"). */
export declare function exec(reqPtr: usize, reqLen: usize, outPtr: usize, outCap: usize): i32;
/** midi_send(ptr, len) -> 0 or an error code (needs "midi"). */
export declare function midi_send(ptr: usize, len: usize): i32;
/** notify(title_ptr, title_len, body_ptr, body_len) -> 0 or an error code (needs "systemcontrol"). */
export declare function notify(titlePtr: usize, titleLen: usize, bodyPtr: usize, bodyLen: usize): i32;
/** system(req_ptr, req_len, out_ptr, out_cap) -> bytes of {"ok",…} JSON, or an error code (needs "systemcontrol"). */
export declare function system(reqPtr: usize, reqLen: usize, outPtr: usize, outCap: usize): i32;
/** setting(name_ptr, name_len, out_ptr, out_cap) -> bytes of {"name","value"} JSON, -7 unset, -1 undeclared (no capability). */
export declare function setting(namePtr: usize, nameLen: usize, outPtr: usize, outCap: usize): i32;
/** oauth_token(flags 0 | 1 refused, out_ptr, out_cap) -> bytes of {"access_token","expires_at"} JSON, -7 not connected (needs "network"). */
export declare function oauth_token(flags: i32, outPtr: usize, outCap: usize): i32;
/** http_request(req_ptr, req_len, out_ptr, out_cap) -> bytes written, or an error code (needs "network"). */
export declare function http_request(reqPtr: usize, reqLen: usize, outPtr: usize, outCap: usize): i32;
/** ws_open(req_ptr, req_len, out_ptr, out_cap) -> bytes of {"handle","protocol"} or {"error"} JSON, or an error code (needs "network"). */
export declare function ws_open(reqPtr: usize, reqLen: usize, outPtr: usize, outCap: usize): i32;
/** ws_send(handle, kind 0 text | 1 binary, ptr, len) -> 0 or an error code (-6: not an open socket). */
export declare function ws_send(handle: i32, kind: i32, ptr: usize, len: usize): i32;
/** ws_recv(handle, timeout_ms, out_ptr, out_cap) -> bytes of {"type",…} JSON, -(needed) (the message stays queued), or an error code. */
export declare function ws_recv(handle: i32, timeoutMs: i32, outPtr: usize, outCap: usize): i32;
/** ws_close(handle) -> 0 or -6 (not an open socket). */
export declare function ws_close(handle: i32): i32;
