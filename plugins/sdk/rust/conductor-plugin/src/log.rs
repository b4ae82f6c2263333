// Logging through `conductor.log(level, ptr, len)`: level functions here, the `debug!`…`error!` macros at the crate root.
// Must never fail or panic: logging is available to every plugin without a capability.

//! Logging through `conductor.log`: [`log`] with a [`Level`], or one function per level (all plugins may log).

use crate::sys;

/// A log level as `conductor.log` understands it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// 0
    Debug = 0,
    /// 1
    Info = 1,
    /// 2
    Warn = 2,
    /// 3
    Error = 3,
}

/// Appends one line to the plugin's log at `level`. Messages longer than i32::MAX bytes are cut (never in practice).
pub fn log(level: Level, message: &str) {
    let bytes = message.as_bytes();
    let len = sys::len_i32(bytes.len()).unwrap_or(i32::MAX);
    // SAFETY: ptr..ptr+len lies inside `message`.
    unsafe { sys::conductor_log(level as i32, bytes.as_ptr(), len) }
}

/// Logs at debug level (0).
pub fn debug(message: &str) {
    log(Level::Debug, message)
}

/// Logs at info level (1).
pub fn info(message: &str) {
    log(Level::Info, message)
}

/// Logs at warn level (2).
pub fn warn(message: &str) {
    log(Level::Warn, message)
}

/// Logs at error level (3).
pub fn error(message: &str) {
    log(Level::Error, message)
}

/// `format!`-style logging at debug level: `debug!("got {} bytes", n)`.
#[macro_export]
macro_rules! debug {
    ($($arg:tt)*) => { $crate::log::debug(&::std::format!($($arg)*)) };
}

/// `format!`-style logging at info level: `info!("Hello, {}!", who)`.
#[macro_export]
macro_rules! info {
    ($($arg:tt)*) => { $crate::log::info(&::std::format!($($arg)*)) };
}

/// `format!`-style logging at warn level.
#[macro_export]
macro_rules! warn {
    ($($arg:tt)*) => { $crate::log::warn(&::std::format!($($arg)*)) };
}

/// `format!`-style logging at error level.
#[macro_export]
macro_rules! error {
    ($($arg:tt)*) => { $crate::log::error(&::std::format!($($arg)*)) };
}
