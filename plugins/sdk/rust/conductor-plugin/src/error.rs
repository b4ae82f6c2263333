// Error types: `Error` (what an action returns: a non-zero code and a message) and `HostError` (host-function codes).
// Must never produce code 0 for an error, nor treat a needed-buffer size (r <= -16) as an error code.

use std::fmt;

/// The error an action returns: a non-zero exit code and a message.
///
/// The SDK logs the message at error level (`conductor.log`, level 3) and returns the code from `execute`.
/// The code is never 0 (0 means success): [`Error::with_code`] turns 0 into 1.
///
/// Conversions make `?` work in an action:
/// - `&str` / `String` → code 1 with that message;
/// - [`HostError`] → code 1, e.g. `host call failed: denied by policy (-3)`;
/// - [`ParamError`](crate::ParamError) → code 2 ([`Error::INVALID_INPUT`]), e.g. `param "who": expected a string, got a number`;
/// - `serde_json::Error` → code 1.
///
/// ```
/// use conductor_plugin::Error;
/// let e = Error::new("no scene named \"intro\"");
/// assert_eq!((e.code(), e.message()), (1, "no scene named \"intro\""));
/// assert_eq!(Error::with_code(7, "busy").code(), 7);
/// assert_eq!(Error::with_code(0, "zero is success").code(), 1);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    code: i32,
    message: String,
}

impl Error {
    /// The code of a generic failure (what [`Error::new`] uses).
    pub const FAILURE: i32 = 1;
    /// The code the SDK returns for input it cannot use: unparseable JSON, or a param of the wrong type.
    pub const INVALID_INPUT: i32 = 2;

    /// An error with code 1.
    pub fn new(message: impl Into<String>) -> Self {
        Error { code: Self::FAILURE, message: message.into() }
    }

    /// An error with your own code (0 is replaced by 1, since 0 means success).
    pub fn with_code(code: i32, message: impl Into<String>) -> Self {
        Error { code: if code == 0 { Self::FAILURE } else { code }, message: message.into() }
    }

    /// An error with code 2 ([`Error::INVALID_INPUT`]).
    pub fn invalid_input(message: impl Into<String>) -> Self {
        Error::with_code(Self::INVALID_INPUT, message)
    }

    /// The code `execute` returns (never 0).
    pub fn code(&self) -> i32 {
        self.code
    }

    /// The message the SDK logs at error level.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (code {})", self.message, self.code)
    }
}

impl std::error::Error for Error {}

impl From<&str> for Error {
    fn from(message: &str) -> Self {
        Error::new(message)
    }
}

impl From<String> for Error {
    fn from(message: String) -> Self {
        Error::new(message)
    }
}

impl From<HostError> for Error {
    fn from(e: HostError) -> Self {
        Error::new(format!("host call failed: {}", e))
    }
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        Error::new(format!("JSON error: {}", e))
    }
}

/// Why a host function (`conductor.exec`, `midi_send`, `notify`, `http_request`) did not succeed.
///
/// The host returns these as negative codes; with one, it also logs a warning naming the reason
/// (e.g. `[warn] conductor.http_request: host "evil.example" is not in allowed_hosts … (returned -3)`).
/// A host function whose capability is not granted does not return at all: the whole call fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HostError {
    /// −1: the request was malformed (JSON, field types, unknown field), or the MIDI bytes were not valid MIDI.
    Invalid,
    /// −2: the request or message is over the function's size limit.
    TooLarge,
    /// −3: refused by policy — not `http:`/`https:`, a host not in `allowed_hosts`, a local address not named there.
    Denied,
    /// −4: a per-call budget is used up (4096 host events, 1 MiB of MIDI per call).
    Limit,
    /// −5: the host cannot do it here (e.g. nothing receives MIDI or notifications, as in some tests).
    Unavailable,
    /// r ≤ −16 (`exec`, `http_request`): the out buffer was too small; `needed` bytes are needed. Nothing was
    /// written, but the request was carried out (the program ran, the HTTP request was sent).
    BufferTooSmall {
        /// Bytes the response needs.
        needed: usize,
    },
    /// −6 … −15: codes reserved for future errors (this SDK does not know them yet).
    Reserved(i32),
    /// The host reported success but its response was not the JSON this SDK expects (should not happen).
    BadResponse,
}

impl HostError {
    /// The error a host function's return value stands for; `None` for success (`r >= 0`).
    ///
    /// ```
    /// use conductor_plugin::HostError;
    /// assert_eq!(HostError::from_code(0), None);
    /// assert_eq!(HostError::from_code(-3), Some(HostError::Denied));
    /// assert_eq!(HostError::from_code(-300), Some(HostError::BufferTooSmall { needed: 300 }));
    /// ```
    pub fn from_code(r: i32) -> Option<HostError> {
        Some(match r {
            0..=i32::MAX => return None,
            -1 => HostError::Invalid,
            -2 => HostError::TooLarge,
            -3 => HostError::Denied,
            -4 => HostError::Limit,
            -5 => HostError::Unavailable,
            -15..=-6 => HostError::Reserved(r),
            _ => HostError::BufferTooSmall { needed: (r as i64).unsigned_abs() as usize },
        })
    }

    /// The raw code: −1 … −5, the reserved code, −needed for [`HostError::BufferTooSmall`], and −1 for
    /// [`HostError::BadResponse`] (no host code exists for it).
    pub fn code(&self) -> i32 {
        match *self {
            HostError::Invalid | HostError::BadResponse => -1,
            HostError::TooLarge => -2,
            HostError::Denied => -3,
            HostError::Limit => -4,
            HostError::Unavailable => -5,
            HostError::BufferTooSmall { needed } => -(needed.min(i32::MAX as usize) as i32),
            HostError::Reserved(r) => r,
        }
    }
}

impl fmt::Display for HostError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            HostError::Invalid => f.write_str("invalid request (-1)"),
            HostError::TooLarge => f.write_str("request too large (-2)"),
            HostError::Denied => f.write_str("denied by policy (-3)"),
            HostError::Limit => f.write_str("per-call limit reached (-4)"),
            HostError::Unavailable => f.write_str("unavailable here (-5)"),
            HostError::BufferTooSmall { needed } => write!(f, "response buffer too small: {} bytes needed", needed),
            HostError::Reserved(r) => write!(f, "host error {}", r),
            HostError::BadResponse => f.write_str("the host's response could not be read"),
        }
    }
}

impl std::error::Error for HostError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_every_host_code() {
        let cases = [
            (-1, HostError::Invalid),
            (-2, HostError::TooLarge),
            (-3, HostError::Denied),
            (-4, HostError::Limit),
            (-5, HostError::Unavailable),
            (-6, HostError::Reserved(-6)),
            (-15, HostError::Reserved(-15)),
            (-16, HostError::BufferTooSmall { needed: 16 }),
            (i32::MIN, HostError::BufferTooSmall { needed: 2_147_483_648 }),
        ];
        for (code, want) in cases {
            assert_eq!(HostError::from_code(code), Some(want), "code {}", code);
        }
        assert_eq!(HostError::from_code(0), None);
        assert_eq!(HostError::from_code(17), None);
        for code in [-1, -2, -3, -4, -5, -9, -16, -70000] {
            assert_eq!(HostError::from_code(code).unwrap().code(), code);
        }
    }

    #[test]
    fn error_codes_are_never_zero() {
        assert_eq!(Error::with_code(0, "x").code(), 1);
        assert_eq!(Error::with_code(-7, "x").code(), -7);
        assert_eq!(Error::from("boom"), Error::new("boom"));
        assert_eq!(Error::invalid_input("bad").code(), 2);
        let e: Error = HostError::Denied.into();
        assert_eq!((e.code(), e.message()), (1, "host call failed: denied by policy (-3)"));
        assert_eq!(e.to_string(), "host call failed: denied by policy (-3) (code 1)");
    }
}
