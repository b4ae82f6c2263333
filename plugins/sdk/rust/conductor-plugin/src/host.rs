// Safe wrappers for the capability-gated host functions: http_request, exec, midi_send (+ note/CC helpers), notify.
// Must never retry a call that may have had effects (exec, non-idempotent HTTP) and must build requests with serde_json.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::HostError;
use crate::sys;

/// Default size of the response buffer for [`http_request`] and [`exec`]: 256 KiB.
pub const DEFAULT_CAPACITY: usize = 256 * 1024;

/// Calls a host function that writes a response into an out buffer of `capacity` bytes (at least 16).
/// On `BufferTooSmall` with `retry_once`, calls once more with the needed size; otherwise returns the error.
pub(crate) fn with_out_buffer(
    capacity: usize,
    retry_once: bool,
    mut call: impl FnMut(*mut u8, i32) -> i32,
) -> Result<Vec<u8>, HostError> {
    let mut cap = capacity.clamp(16, i32::MAX as usize);
    let mut retried = false;
    loop {
        let mut buf: Vec<u8> = Vec::with_capacity(cap);
        let r = call(buf.as_mut_ptr(), cap as i32);
        if r >= 0 {
            let n = r as usize;
            if n > cap {
                return Err(HostError::BadResponse);
            }
            // SAFETY: the host wrote n <= cap bytes at the start of the buffer.
            unsafe { buf.set_len(n) };
            return Ok(buf);
        }
        match HostError::from_code(r) {
            Some(HostError::BufferTooSmall { needed }) if retry_once && !retried && needed > cap && needed <= i32::MAX as usize => {
                cap = needed;
                retried = true;
            }
            Some(e) => return Err(e),
            None => unreachable!("r < 0"),
        }
    }
}

fn parse_response<T: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Result<T, HostError> {
    serde_json::from_slice(bytes).map_err(|_| HostError::BadResponse)
}

// ---------------------------------------------------------------------------------------------------------------
// http_request
// ---------------------------------------------------------------------------------------------------------------

/// An HTTP request for `conductor.http_request` (capability `network`), built step by step.
///
/// ```no_run
/// use conductor_plugin::HttpRequest;
/// # fn main() -> Result<(), conductor_plugin::Error> {
/// let res = HttpRequest::new("POST", "https://api.example.com/v1/scene")
///     .header("content-type", "application/json")
///     .body(r#"{"n":3}"#)
///     .send()?;
/// conductor_plugin::info!("status {:?}: {}", res.status, res.body);
/// # Ok(()) }
/// ```
///
/// [`send`](HttpRequest::send) uses a response buffer of [`DEFAULT_CAPACITY`] (256 KiB) unless
/// [`capacity`](HttpRequest::capacity) says otherwise. When the response does not fit, a `GET`, `HEAD` or `OPTIONS`
/// request is sent once more with a buffer of the needed size; any other method returns
/// [`HostError::BufferTooSmall`] (sending it again could repeat its effect).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest {
    method: String,
    url: String,
    headers: BTreeMap<String, String>,
    body: Option<String>,
    capacity: usize,
}

impl HttpRequest {
    /// A request with this method (`GET`, `HEAD`, `POST`, `PUT`, `PATCH`, `DELETE`, `OPTIONS`) and absolute URL.
    pub fn new(method: impl Into<String>, url: impl Into<String>) -> Self {
        HttpRequest { method: method.into(), url: url.into(), headers: BTreeMap::new(), body: None, capacity: DEFAULT_CAPACITY }
    }

    /// A `GET` request.
    pub fn get(url: impl Into<String>) -> Self {
        Self::new("GET", url)
    }

    /// A `POST` request.
    pub fn post(url: impl Into<String>) -> Self {
        Self::new("POST", url)
    }

    /// Adds (or replaces) a header. Values must not contain CR/LF; `Host` is refused by the host.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.insert(name.into(), value.into());
        self
    }

    /// Sets the body (UTF-8 text, at most 1 MiB; not allowed with `GET`/`HEAD`).
    pub fn body(mut self, body: impl Into<String>) -> Self {
        self.body = Some(body.into());
        self
    }

    /// Sets the response buffer size in bytes (default [`DEFAULT_CAPACITY`]; at least 16 is used).
    pub fn capacity(mut self, bytes: usize) -> Self {
        self.capacity = bytes;
        self
    }

    /// Whether a `BufferTooSmall` response is retried: only for `GET`, `HEAD` and `OPTIONS`.
    pub fn is_idempotent(&self) -> bool {
        ["GET", "HEAD", "OPTIONS"].iter().any(|m| self.method.eq_ignore_ascii_case(m))
    }

    /// The request JSON sent to the host, e.g. `{"body":"…","headers":{…},"method":"POST","url":"…"}`.
    pub fn to_json(&self) -> String {
        let mut req = Map::new();
        req.insert("method".into(), Value::from(self.method.as_str()));
        req.insert("url".into(), Value::from(self.url.as_str()));
        let headers: Map<String, Value> = self.headers.iter().map(|(k, v)| (k.clone(), Value::from(v.as_str()))).collect();
        req.insert("headers".into(), Value::Object(headers));
        if let Some(body) = &self.body {
            req.insert("body".into(), Value::from(body.as_str()));
        }
        Value::Object(req).to_string()
    }

    /// Sends the request (blocking). `Ok` also for failures without a response (refused connection, timeout):
    /// then `status` is `None` and `error` says why. `Err` for the host's error codes, e.g. [`HostError::Denied`]
    /// for a host not in `allowed_hosts`.
    pub fn send(&self) -> Result<HttpResponse, HostError> {
        let req = self.to_json();
        let req_len = sys::len_i32(req.len()).ok_or(HostError::TooLarge)?;
        let out = with_out_buffer(self.capacity, self.is_idempotent(), |out, cap| {
            // SAFETY: req and the out buffer (cap bytes) are valid for the duration of the call.
            unsafe { sys::conductor_http_request(req.as_ptr(), req_len, out, cap) }
        })?;
        parse_response(&out)
    }
}

/// The response of [`http_request`] / [`HttpRequest::send`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HttpResponse {
    /// The HTTP status; `None` when there was no response (see `error`).
    #[serde(default)]
    pub status: Option<u16>,
    /// Response headers, names in lower case, repeated headers joined with `", "`.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// The body as UTF-8 text (at most 1 MiB; see `truncated`).
    #[serde(default)]
    pub body: String,
    /// The body was longer than 1 MiB and was cut.
    #[serde(default)]
    pub truncated: bool,
    /// Why there is no response, e.g. `connect ECONNREFUSED 127.0.0.1:4455` or a timeout.
    #[serde(default)]
    pub error: Option<String>,
}

impl HttpResponse {
    /// A header's value by name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// Whether there was a response with a 2xx status.
    pub fn is_success(&self) -> bool {
        matches!(self.status, Some(200..=299))
    }
}

/// `conductor.http_request` (capability `network`) in one call; see [`HttpRequest`] for the retry rule and for
/// setting the buffer size.
///
/// ```no_run
/// # fn main() -> Result<(), conductor_plugin::HostError> {
/// let res = conductor_plugin::http_request("GET", "http://127.0.0.1:4455/status", &[("accept", "text/plain")], None)?;
/// # Ok(()) }
/// ```
pub fn http_request(method: &str, url: &str, headers: &[(&str, &str)], body: Option<&str>) -> Result<HttpResponse, HostError> {
    let mut req = HttpRequest::new(method, url);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    if let Some(b) = body {
        req = req.body(b);
    }
    req.send()
}

// ---------------------------------------------------------------------------------------------------------------
// exec
// ---------------------------------------------------------------------------------------------------------------

/// A program for `conductor.exec` (capability `subprocess`) to run, WITHOUT a shell, as the user, outside the
/// sandbox; built step by step like `std::process::Command`.
///
/// ```no_run
/// use conductor_plugin::Exec;
/// # fn main() -> Result<(), conductor_plugin::Error> {
/// let out = Exec::new("echo").arg("hi").run()?;
/// assert_eq!(out.stdout, "hi\n");
/// # Ok(()) }
/// ```
///
/// Never retried: when the output does not fit the buffer ([`DEFAULT_CAPACITY`] unless
/// [`capacity`](Exec::capacity) says otherwise), [`run`](Exec::run) returns [`HostError::BufferTooSmall`] — the
/// program has run; running it again is your decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exec {
    program: String,
    args: Vec<String>,
    stdin: Option<String>,
    capacity: usize,
}

impl Exec {
    /// A program, looked up on `PATH` (or a path).
    pub fn new(program: impl Into<String>) -> Self {
        Exec { program: program.into(), args: Vec::new(), stdin: None, capacity: DEFAULT_CAPACITY }
    }

    /// Adds one argument (passed as it is: no shell, no globbing).
    pub fn arg(mut self, arg: impl Into<String>) -> Self {
        self.args.push(arg.into());
        self
    }

    /// Adds arguments.
    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    /// Text for the program's stdin (then end-of-file; without it stdin is empty).
    pub fn stdin(mut self, text: impl Into<String>) -> Self {
        self.stdin = Some(text.into());
        self
    }

    /// Sets the response buffer size in bytes (default [`DEFAULT_CAPACITY`]; at least 16 is used).
    pub fn capacity(mut self, bytes: usize) -> Self {
        self.capacity = bytes;
        self
    }

    /// The request JSON sent to the host, e.g. `{"args":["hi"],"program":"echo"}`.
    pub fn to_json(&self) -> String {
        let mut req = Map::new();
        req.insert("program".into(), Value::from(self.program.as_str()));
        req.insert("args".into(), Value::Array(self.args.iter().map(|a| Value::from(a.as_str())).collect()));
        if let Some(stdin) = &self.stdin {
            req.insert("stdin".into(), Value::from(stdin.as_str()));
        }
        Value::Object(req).to_string()
    }

    /// Runs the program to completion (or the call's deadline). `Ok` also when it did not run to completion
    /// (not found, timed out, killed): see `status`, `signal` and `error`.
    pub fn run(&self) -> Result<ExecOutput, HostError> {
        let req = self.to_json();
        let req_len = sys::len_i32(req.len()).ok_or(HostError::TooLarge)?;
        let out = with_out_buffer(self.capacity, false, |out, cap| {
            // SAFETY: req and the out buffer (cap bytes) are valid for the duration of the call.
            unsafe { sys::conductor_exec(req.as_ptr(), req_len, out, cap) }
        })?;
        parse_response(&out)
    }
}

/// What [`exec`] / [`Exec::run`] returns.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExecOutput {
    /// The exit code; `None` if the program was killed or never started.
    #[serde(default)]
    pub status: Option<i32>,
    /// The signal that ended it, e.g. `"SIGKILL"`.
    #[serde(default)]
    pub signal: Option<String>,
    /// Its stdout as UTF-8 (invalid bytes become U+FFFD), at most 1 MiB.
    #[serde(default)]
    pub stdout: String,
    /// Its stderr, likewise.
    #[serde(default)]
    pub stderr: String,
    /// The output passed 1 MiB and the program was killed.
    #[serde(default)]
    pub truncated: bool,
    /// Why it did not run to completion, e.g. `program not found: …` or a timeout.
    #[serde(default)]
    pub error: Option<String>,
}

impl ExecOutput {
    /// Exit status 0 and no error.
    pub fn success(&self) -> bool {
        self.status == Some(0) && self.error.is_none()
    }
}

/// `conductor.exec` (capability `subprocess`) in one call: program, arguments, optional stdin. See [`Exec`].
pub fn exec(program: &str, args: &[&str], stdin: Option<&str>) -> Result<ExecOutput, HostError> {
    let mut cmd = Exec::new(program).args(args.iter().copied());
    if let Some(s) = stdin {
        cmd = cmd.stdin(s);
    }
    cmd.run()
}

// ---------------------------------------------------------------------------------------------------------------
// midi_send
// ---------------------------------------------------------------------------------------------------------------

/// `conductor.midi_send` (capability `midi`): raw MIDI — one or more complete messages, each with its status byte
/// (no running status), or SysEx `F0 … F7`. `Ok` means the host received it, not that a device did.
pub fn midi_send(bytes: &[u8]) -> Result<(), HostError> {
    let len = sys::len_i32(bytes.len()).ok_or(HostError::TooLarge)?;
    // SAFETY: ptr..ptr+len lies inside `bytes`.
    let r = unsafe { sys::conductor_midi_send(bytes.as_ptr(), len) };
    HostError::from_code(r).map_or(Ok(()), Err)
}

/// A 3-byte channel message: `status | channel`, d1, d2. A channel over 15 is [`HostError::Invalid`] (it would
/// change the message's meaning); data bytes over 127 are left for the host to refuse.
pub(crate) fn channel_message(status: u8, channel: u8, d1: u8, d2: u8) -> Result<[u8; 3], HostError> {
    if channel > 15 {
        return Err(HostError::Invalid);
    }
    Ok([status | channel, d1, d2])
}

/// Sends a note-on: `9n note velocity` (channel 0–15).
pub fn note_on(channel: u8, note: u8, velocity: u8) -> Result<(), HostError> {
    midi_send(&channel_message(0x90, channel, note, velocity)?)
}

/// Sends a note-off: `8n note 0` (channel 0–15).
pub fn note_off(channel: u8, note: u8) -> Result<(), HostError> {
    midi_send(&channel_message(0x80, channel, note, 0)?)
}

/// Sends a control change: `Bn cc value` (channel 0–15).
pub fn control_change(channel: u8, cc: u8, value: u8) -> Result<(), HostError> {
    midi_send(&channel_message(0xB0, channel, cc, value)?)
}

// ---------------------------------------------------------------------------------------------------------------
// notify
// ---------------------------------------------------------------------------------------------------------------

/// `conductor.notify` (capability `systemcontrol`): asks the host to show a desktop notification.
/// Title: non-empty, at most 256 bytes; body: at most 4096 bytes (may be empty).
pub fn notify(title: &str, body: &str) -> Result<(), HostError> {
    let tl = sys::len_i32(title.len()).ok_or(HostError::TooLarge)?;
    let bl = sys::len_i32(body.len()).ok_or(HostError::TooLarge)?;
    // SAFETY: both pointer/length pairs lie inside their strings.
    let r = unsafe { sys::conductor_notify(title.as_ptr(), tl, body.as_ptr(), bl) };
    HostError::from_code(r).map_or(Ok(()), Err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_request_json_is_escaped() {
        let req = HttpRequest::post("http://127.0.0.1:1/a?q=\"x\"")
            .header("X-Quote", "a\"b\\c")
            .header("x-ctl", "tab\there")
            .body("{\"n\":1}\n\u{1}✓");
        let v: Value = serde_json::from_str(&req.to_json()).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"method":"POST","url":"http://127.0.0.1:1/a?q=\"x\"",
                "headers":{"X-Quote":"a\"b\\c","x-ctl":"tab\there"},"body":"{\"n\":1}\n\u{1}✓"})
        );
        assert!(req.to_json().contains(r#""body":"{\"n\":1}\n\u0001✓""#));
        let get = HttpRequest::get("https://x.example/");
        assert_eq!(get.to_json(), r#"{"headers":{},"method":"GET","url":"https://x.example/"}"#);
    }

    #[test]
    fn only_get_head_options_are_retried() {
        for m in ["GET", "get", "HEAD", "Options"] {
            assert!(HttpRequest::new(m, "u").is_idempotent(), "{}", m);
        }
        for m in ["POST", "PUT", "PATCH", "DELETE", ""] {
            assert!(!HttpRequest::new(m, "u").is_idempotent(), "{}", m);
        }
    }

    #[test]
    fn exec_request_json() {
        let cmd = Exec::new("sh").args(["-c", "echo \"$1\"; printf '%s' \\"]).arg("x\ny").stdin("in\u{0}put");
        let v: Value = serde_json::from_str(&cmd.to_json()).unwrap();
        assert_eq!(v, serde_json::json!({"program":"sh","args":["-c","echo \"$1\"; printf '%s' \\","x\ny"],"stdin":"in\u{0}put"}));
        assert_eq!(Exec::new("true").to_json(), r#"{"args":[],"program":"true"}"#);
    }

    /// A fake host function: the response is `resp`; it writes it if it fits, else returns -(len).
    fn fake<'a>(resp: &'static [u8], calls: &'a mut Vec<i32>) -> impl FnMut(*mut u8, i32) -> i32 + 'a {
        move |out, cap| {
            calls.push(cap);
            if resp.len() > cap as usize {
                return -(resp.len() as i32);
            }
            unsafe { std::ptr::copy_nonoverlapping(resp.as_ptr(), out, resp.len()) };
            resp.len() as i32
        }
    }

    const RESP: &[u8] = br#"{"status":200,"headers":{"x":"y"},"body":"a body long enough to need a bigger buffer"}"#;

    #[test]
    fn buffer_too_small_is_retried_once_with_the_needed_size() {
        let mut calls = Vec::new();
        let out = with_out_buffer(20, true, fake(RESP, &mut calls)).unwrap();
        assert_eq!(out, RESP);
        assert_eq!(calls, vec![20, RESP.len() as i32]);
    }

    #[test]
    fn buffer_too_small_without_retry_returns_the_needed_size() {
        let mut calls = Vec::new();
        let e = with_out_buffer(20, false, fake(RESP, &mut calls)).unwrap_err();
        assert_eq!(e, HostError::BufferTooSmall { needed: RESP.len() });
        assert_eq!(calls, vec![20]);
    }

    #[test]
    fn retry_happens_at_most_once_and_errors_pass_through() {
        let mut calls = Vec::new();
        let e = with_out_buffer(16, true, |_, cap| {
            calls.push(cap);
            -(cap + 100)
        })
        .unwrap_err();
        assert_eq!(e, HostError::BufferTooSmall { needed: 216 });
        assert_eq!(calls, vec![16, 116]);
        assert_eq!(with_out_buffer(100, true, |_, _| -3), Err(HostError::Denied));
        assert_eq!(with_out_buffer(100, true, |_, _| 101), Err(HostError::BadResponse));
        let mut seen = 0;
        let _ = with_out_buffer(0, true, |_, cap| {
            seen = cap;
            0
        });
        assert_eq!(seen, 16);
    }

    #[test]
    fn responses_parse() {
        let r: HttpResponse = parse_response(RESP).unwrap();
        assert_eq!((r.status, r.header("X"), r.is_success(), r.truncated), (Some(200), Some("y"), true, false));
        let failed: HttpResponse = parse_response(br#"{"status":null,"headers":{},"body":"","error":"connect ECONNREFUSED"}"#).unwrap();
        assert_eq!((failed.status, failed.error.as_deref(), failed.is_success()), (None, Some("connect ECONNREFUSED"), false));
        let e: ExecOutput = parse_response(br#"{"status":0,"signal":null,"stdout":"hi\n","stderr":"","extra":1}"#).unwrap();
        assert!(e.success());
        assert_eq!(e.stdout, "hi\n");
        let killed: ExecOutput = parse_response(br#"{"status":null,"signal":"SIGKILL","stdout":"","stderr":"","truncated":true}"#).unwrap();
        assert_eq!((killed.status, killed.signal.as_deref(), killed.truncated, killed.success()), (None, Some("SIGKILL"), true, false));
        assert_eq!(parse_response::<ExecOutput>(b"not json"), Err(HostError::BadResponse));
    }

    #[test]
    fn channel_messages() {
        assert_eq!(channel_message(0x90, 2, 64, 90), Ok([0x92, 64, 90]));
        assert_eq!(channel_message(0xB0, 15, 7, 127), Ok([0xBF, 7, 127]));
        assert_eq!(channel_message(0x80, 16, 60, 0), Err(HostError::Invalid));
    }

    #[test]
    fn off_wasm_host_calls_are_unavailable() {
        assert_eq!(midi_send(&[0xF8]), Err(HostError::Unavailable));
        assert_eq!(notify("t", "b"), Err(HostError::Unavailable));
        assert_eq!(exec("echo", &["hi"], None), Err(HostError::Unavailable));
        assert_eq!(http_request("GET", "http://x/", &[], None), Err(HostError::Unavailable));
    }
}
