// The parsed `execute` input: the action name, the typed trigger context and the mapping's params with typed getters.
// Must never panic or trap on any input: unusable input becomes an `Error` with code 2 (`Error::INVALID_INPUT`).

use std::fmt;

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::error::Error;

/// The input of one `execute` call, parsed from the JSON the host passes:
///
/// ```json
/// {"action":"play","volume":80,"parameters":{"action":"play","volume":80},
///  "context":{"trigger":"Note","note":60,"velocity":100,"channel":0,"mode":"Default","timestamp":1732500000000}}
/// ```
///
/// - [`action`](Input::action): the `"action"` member (`""` when absent);
/// - [`context`](Input::context): the `"context"` member, typed ([`Context`]);
/// - the params: every other top-level member except `"parameters"`; a name that is only under `"parameters"`
///   is found there too. Read them with the typed getters ([`str`](Input::str), [`int`](Input::int),
///   [`float`](Input::float), [`bool`](Input::bool), or the generic [`param`](Input::param),
///   [`require`](Input::require), [`param_or`](Input::param_or)), or as raw JSON with [`raw`](Input::raw).
///
/// Every getter returns `Ok(None)` when the param is missing (or JSON `null`) and `Err(ParamError)` when it has
/// the wrong type; `?` turns that into an [`Error`] with code 2.
///
/// ```
/// use conductor_plugin::Input;
/// let input = Input::parse(br#"{"action":"greet","who":"Ada","n":3,"context":{"trigger":"Note","note":36}}"#).unwrap();
/// assert_eq!(input.action(), "greet");
/// assert_eq!(input.str("who").unwrap(), Some("Ada"));
/// assert_eq!(input.int("n").unwrap(), Some(3));
/// assert_eq!(input.str("missing").unwrap().unwrap_or("default"), "default");
/// assert!(input.str("n").is_err()); // wrong type
/// assert_eq!(input.context().note, Some(36));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Input {
    action: String,
    context: Context,
    params: Map<String, Value>,
}

/// What triggered the call (the input's `"context"`). Fields the host did not send are `None` / empty / 0.
///
/// Typed fields only take values of the right JSON type (a string for `trigger`, an integer for `note`, …);
/// every key, including these, is also readable as raw JSON with [`Context::get`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Context {
    /// The kind of trigger, e.g. `"Note"`, `"CC"`, `"cli"` (`""` if absent).
    pub trigger: String,
    /// The active mode, e.g. `"Default"` (`""` if absent).
    pub mode: String,
    /// When the trigger happened, in epoch milliseconds (0 if absent).
    pub timestamp: f64,
    /// The input device's name, when the host sends one.
    pub device: Option<String>,
    /// MIDI channel (0–15) of the trigger.
    pub channel: Option<i64>,
    /// Note number of a note trigger.
    pub note: Option<i64>,
    /// Velocity of a note trigger.
    pub velocity: Option<i64>,
    /// Controller number of a CC trigger.
    pub cc: Option<i64>,
    /// Value of a CC (or similar) trigger.
    pub value: Option<i64>,
    raw: Map<String, Value>,
}

impl Context {
    fn from_map(raw: Map<String, Value>) -> Context {
        let string = |k: &str| raw.get(k).and_then(Value::as_str).map(str::to_owned);
        let int = |k: &str| raw.get(k).and_then(as_integer);
        Context {
            trigger: string("trigger").unwrap_or_default(),
            mode: string("mode").unwrap_or_default(),
            timestamp: raw.get("timestamp").and_then(Value::as_f64).unwrap_or(0.0),
            device: string("device"),
            channel: int("channel"),
            note: int("note"),
            velocity: int("velocity"),
            cc: int("cc"),
            value: int("value"),
            raw,
        }
    }

    /// Any context member as raw JSON (including the typed ones), e.g. a key a newer host adds.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.raw.get(key)
    }

    /// The whole `"context"` object as the host sent it.
    pub fn raw(&self) -> &Map<String, Value> {
        &self.raw
    }
}

/// Why a param could not be read: missing (only from [`Input::require`]), of the wrong type, or not
/// deserialisable into the requested type ([`Input::deserialize`]).
///
/// Converts into an [`Error`] with code 2 (`Error::INVALID_INPUT`), so `?` works in an action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamError {
    /// The param is absent (or `null`) but was required.
    Missing {
        /// The param's name.
        name: String,
    },
    /// The param has a value of another type (or out of the requested integer type's range).
    WrongType {
        /// The param's name.
        name: String,
        /// What was expected, e.g. `"a string"`.
        expected: &'static str,
        /// The JSON type found, e.g. `"a number"`.
        found: &'static str,
    },
    /// [`Input::deserialize`] failed.
    Invalid {
        /// The param's name.
        name: String,
        /// serde's message.
        reason: String,
    },
}

impl ParamError {
    /// The param's name.
    pub fn name(&self) -> &str {
        match self {
            ParamError::Missing { name } | ParamError::WrongType { name, .. } | ParamError::Invalid { name, .. } => name,
        }
    }
}

impl fmt::Display for ParamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParamError::Missing { name } => write!(f, "param {:?} is missing", name),
            ParamError::WrongType { name, expected, found } => {
                write!(f, "param {:?}: expected {}, got {}", name, expected, found)
            }
            ParamError::Invalid { name, reason } => write!(f, "param {:?}: {}", name, reason),
        }
    }
}

impl std::error::Error for ParamError {}

impl From<ParamError> for Error {
    fn from(e: ParamError) -> Self {
        Error::invalid_input(e.to_string())
    }
}

/// A type a param can be read as with [`Input::param`]: `&str`, `String`, `bool`, `f64`, `f32`, the integer
/// types (`i64`, `i32`, `i16`, `i8`, `u64`, `u32`, `u16`, `u8`, `usize`), and raw JSON: `&Value`,
/// `&Map<String, Value>` (an object), `&Vec<Value>` (an array).
///
/// Integers accept JSON integers and numbers with a zero fraction (`2.0`) within the type's range;
/// floats accept any number.
pub trait FromParam<'a>: Sized {
    /// What the type expects, for error messages (e.g. `"a string"`).
    const EXPECTED: &'static str;
    /// The value as this type, or `None` if it is of another type.
    fn from_param(value: &'a Value) -> Option<Self>;
}

impl<'a> FromParam<'a> for &'a str {
    const EXPECTED: &'static str = "a string";
    fn from_param(value: &'a Value) -> Option<Self> {
        value.as_str()
    }
}

impl<'a> FromParam<'a> for String {
    const EXPECTED: &'static str = "a string";
    fn from_param(value: &'a Value) -> Option<Self> {
        value.as_str().map(str::to_owned)
    }
}

impl<'a> FromParam<'a> for bool {
    const EXPECTED: &'static str = "a boolean";
    fn from_param(value: &'a Value) -> Option<Self> {
        value.as_bool()
    }
}

impl<'a> FromParam<'a> for f64 {
    const EXPECTED: &'static str = "a number";
    fn from_param(value: &'a Value) -> Option<Self> {
        value.as_f64()
    }
}

impl<'a> FromParam<'a> for f32 {
    const EXPECTED: &'static str = "a number";
    fn from_param(value: &'a Value) -> Option<Self> {
        value.as_f64().map(|v| v as f32)
    }
}

impl<'a> FromParam<'a> for &'a Value {
    const EXPECTED: &'static str = "any JSON value";
    fn from_param(value: &'a Value) -> Option<Self> {
        Some(value)
    }
}

impl<'a> FromParam<'a> for &'a Map<String, Value> {
    const EXPECTED: &'static str = "an object";
    fn from_param(value: &'a Value) -> Option<Self> {
        value.as_object()
    }
}

impl<'a> FromParam<'a> for &'a Vec<Value> {
    const EXPECTED: &'static str = "an array";
    fn from_param(value: &'a Value) -> Option<Self> {
        value.as_array()
    }
}

/// A JSON number as an i64 when it is an integer (or has a zero fraction) within i64's range.
fn as_integer(value: &Value) -> Option<i64> {
    if let Some(i) = value.as_i64() {
        return Some(i);
    }
    let f = value.as_f64()?;
    // 2^63 is exactly representable; anything at or above it does not fit.
    if f.fract() == 0.0 && (-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&f) {
        Some(f as i64)
    } else {
        None
    }
}

macro_rules! int_from_param {
    ($($t:ty => $expected:expr),* $(,)?) => {$(
        impl<'a> FromParam<'a> for $t {
            const EXPECTED: &'static str = $expected;
            fn from_param(value: &'a Value) -> Option<Self> {
                if let Some(u) = value.as_u64() {
                    return <$t>::try_from(u).ok();
                }
                as_integer(value).and_then(|i| <$t>::try_from(i).ok())
            }
        }
    )*};
}

int_from_param! {
    i64 => "an integer",
    i32 => "an integer (32-bit)",
    i16 => "an integer (16-bit)",
    i8 => "an integer from -128 to 127",
    u64 => "a non-negative integer",
    u32 => "a non-negative integer (32-bit)",
    u16 => "an integer from 0 to 65535",
    u8 => "an integer from 0 to 255",
    usize => "a non-negative integer",
}

/// The JSON type of a value, for error messages.
fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_f64() => "a number with a fraction",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

impl Input {
    /// Parses the raw `execute` input. Fails (code 2, with the reason) when it is not UTF-8 JSON, not an object,
    /// or `"action"` / `"context"` / `"parameters"` have the wrong type.
    pub fn parse(bytes: &[u8]) -> Result<Input, Error> {
        let text = std::str::from_utf8(bytes).map_err(|e| Error::invalid_input(format!("invalid input: not UTF-8 ({})", e)))?;
        let value: Value =
            serde_json::from_str(text).map_err(|e| Error::invalid_input(format!("invalid input: not JSON ({})", e)))?;
        let mut top = match value {
            Value::Object(map) => map,
            other => {
                return Err(Error::invalid_input(format!("invalid input: expected a JSON object, got {}", type_name(&other))))
            }
        };
        let action = match top.remove("action") {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(s)) => s,
            Some(other) => {
                return Err(Error::invalid_input(format!("invalid input: \"action\" must be a string, got {}", type_name(&other))))
            }
        };
        let context = match top.remove("context") {
            None | Some(Value::Null) => Context::default(),
            Some(Value::Object(map)) => Context::from_map(map),
            Some(other) => {
                return Err(Error::invalid_input(format!("invalid input: \"context\" must be an object, got {}", type_name(&other))))
            }
        };
        match top.remove("parameters") {
            None | Some(Value::Null) => {}
            Some(Value::Object(nested)) => {
                for (k, v) in nested {
                    if k != "action" && k != "context" && k != "parameters" && !top.contains_key(&k) {
                        top.insert(k, v);
                    }
                }
            }
            Some(other) => {
                return Err(Error::invalid_input(format!("invalid input: \"parameters\" must be an object, got {}", type_name(&other))))
            }
        }
        Ok(Input { action, context, params: top })
    }

    /// The action to run (`""` when the input has none).
    pub fn action(&self) -> &str {
        &self.action
    }

    /// What triggered the call.
    pub fn context(&self) -> &Context {
        &self.context
    }

    /// All params (the input's members other than `action`, `context` and `parameters`).
    pub fn params(&self) -> &Map<String, Value> {
        &self.params
    }

    /// Whether the param is present and not `null`.
    pub fn has(&self, name: &str) -> bool {
        self.raw(name).is_some()
    }

    /// A param as raw JSON (objects, arrays, anything); `None` if it is missing or `null`.
    pub fn raw(&self, name: &str) -> Option<&Value> {
        match self.params.get(name) {
            None | Some(Value::Null) => None,
            Some(v) => Some(v),
        }
    }

    /// A param as `T` (see [`FromParam`]): `Ok(None)` if missing or `null`, `Err` if of another type.
    ///
    /// ```
    /// # use conductor_plugin::Input;
    /// let input = Input::parse(br#"{"velocity": 100, "big": 300}"#).unwrap();
    /// assert_eq!(input.param::<u8>("velocity").unwrap(), Some(100));
    /// assert!(input.param::<u8>("big").is_err());
    /// ```
    pub fn param<'a, T: FromParam<'a>>(&'a self, name: &str) -> Result<Option<T>, ParamError> {
        match self.raw(name) {
            None => Ok(None),
            Some(v) => T::from_param(v)
                .map(Some)
                .ok_or_else(|| ParamError::WrongType { name: name.to_owned(), expected: T::EXPECTED, found: type_name(v) }),
        }
    }

    /// A param that must be present: `Err(ParamError::Missing)` if it is not.
    pub fn require<'a, T: FromParam<'a>>(&'a self, name: &str) -> Result<T, ParamError> {
        self.param(name)?.ok_or_else(|| ParamError::Missing { name: name.to_owned() })
    }

    /// A param, or `default` when it is missing (a wrong type is still an error).
    pub fn param_or<'a, T: FromParam<'a>>(&'a self, name: &str, default: T) -> Result<T, ParamError> {
        Ok(self.param(name)?.unwrap_or(default))
    }

    /// A string param.
    pub fn str(&self, name: &str) -> Result<Option<&str>, ParamError> {
        self.param(name)
    }

    /// An integer param (`3`, or `3.0`).
    pub fn int(&self, name: &str) -> Result<Option<i64>, ParamError> {
        self.param(name)
    }

    /// A number param.
    pub fn float(&self, name: &str) -> Result<Option<f64>, ParamError> {
        self.param(name)
    }

    /// A boolean param.
    pub fn bool(&self, name: &str) -> Result<Option<bool>, ParamError> {
        self.param(name)
    }

    /// A param deserialised into your own type (e.g. a `#[derive(Deserialize)]` struct for an object param).
    pub fn deserialize<T: DeserializeOwned>(&self, name: &str) -> Result<Option<T>, ParamError> {
        match self.raw(name) {
            None => Ok(None),
            Some(v) => T::deserialize(v)
                .map(Some)
                .map_err(|e| ParamError::Invalid { name: name.to_owned(), reason: e.to_string() }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FULL: &str = r#"{"action":"play","who":"Ada \"A\" ✓","n":3,"two":2.0,"half":0.5,"on":true,"off":false,
        "nothing":null,"list":[1,"x"],"obj":{"a":{"b":1}},"big":300,"neg":-1,
        "parameters":{"action":"play","who":"ignored","only_nested":"yes"},
        "context":{"trigger":"Note","mode":"Live","timestamp":1732500000000,"device":"Pad","channel":9,"note":36,
                   "velocity":100,"cc":7,"value":64,"port":"X","bank":2.5}}"#;

    fn full() -> Input {
        Input::parse(FULL.as_bytes()).expect("parses")
    }

    #[test]
    fn reads_action_and_context() {
        let input = full();
        assert_eq!(input.action(), "play");
        let c = input.context();
        assert_eq!((c.trigger.as_str(), c.mode.as_str(), c.timestamp), ("Note", "Live", 1_732_500_000_000.0));
        assert_eq!(c.device.as_deref(), Some("Pad"));
        assert_eq!((c.channel, c.note, c.velocity, c.cc, c.value), (Some(9), Some(36), Some(100), Some(7), Some(64)));
        assert_eq!(c.get("port"), Some(&Value::from("X")));
        assert_eq!(c.get("bank"), Some(&Value::from(2.5)));
        assert_eq!(c.get("note"), Some(&Value::from(36)));
    }

    #[test]
    fn params_exclude_reserved_members_and_fall_back_to_parameters() {
        let input = full();
        assert!(!input.params().contains_key("action"));
        assert!(!input.params().contains_key("context"));
        assert!(!input.params().contains_key("parameters"));
        assert_eq!(input.str("who").unwrap(), Some("Ada \"A\" ✓")); // the top level wins
        assert_eq!(input.str("only_nested").unwrap(), Some("yes"));
    }

    #[test]
    fn typed_getters() {
        let input = full();
        assert_eq!(input.int("n").unwrap(), Some(3));
        assert_eq!(input.int("two").unwrap(), Some(2));
        assert_eq!(input.float("half").unwrap(), Some(0.5));
        assert_eq!(input.float("n").unwrap(), Some(3.0));
        assert_eq!(input.bool("on").unwrap(), Some(true));
        assert_eq!(input.bool("off").unwrap(), Some(false));
        assert_eq!(input.param::<u8>("n").unwrap(), Some(3u8));
        assert_eq!(input.param::<i8>("neg").unwrap(), Some(-1i8));
        assert_eq!(input.param::<String>("who").unwrap().as_deref(), Some("Ada \"A\" ✓"));
    }

    #[test]
    fn missing_and_null_and_defaults() {
        let input = full();
        assert_eq!(input.str("absent").unwrap(), None);
        assert_eq!(input.str("nothing").unwrap(), None);
        assert!(!input.has("nothing"));
        assert!(input.has("on"));
        assert_eq!(input.param_or("absent", "world").unwrap(), "world");
        assert_eq!(input.param_or("n", 10i64).unwrap(), 3);
        assert_eq!(input.require::<i64>("absent"), Err(ParamError::Missing { name: "absent".into() }));
        assert!(input.require::<bool>("on").unwrap());
    }

    #[test]
    fn wrong_types_are_errors_with_code_2() {
        let input = full();
        let e = input.str("n").unwrap_err();
        assert_eq!(e, ParamError::WrongType { name: "n".into(), expected: "a string", found: "a number" });
        assert_eq!(e.to_string(), r#"param "n": expected a string, got a number"#);
        assert!(input.int("half").is_err());
        assert!(input.int("who").is_err());
        assert!(input.bool("n").is_err());
        assert!(input.param::<u8>("big").is_err());
        assert!(input.param::<u32>("neg").is_err());
        assert!(input.param_or("n", "x").is_err());
        let err: Error = input.str("n").unwrap_err().into();
        assert_eq!(err.code(), Error::INVALID_INPUT);
    }

    #[test]
    fn raw_json_values() {
        let input = full();
        assert_eq!(input.raw("list"), Some(&serde_json::json!([1, "x"])));
        assert_eq!(input.raw("obj").and_then(|o| o.pointer("/a/b")), Some(&Value::from(1)));
        let list: &Vec<Value> = input.require("list").unwrap();
        assert_eq!(list.len(), 2);
        let obj: &Map<String, Value> = input.require("obj").unwrap();
        assert!(obj.contains_key("a"));
        assert!(input.param::<&Map<String, Value>>("list").is_err());
        let nested: Option<std::collections::BTreeMap<String, u32>> = input.deserialize("obj").unwrap_or(None);
        assert_eq!(nested, None); // {"a":{"b":1}} is not a map of u32
        let nums: Option<Vec<Value>> = input.deserialize("list").unwrap();
        assert_eq!(nums.map(|v| v.len()), Some(2));
    }

    #[test]
    fn minimal_and_empty_inputs() {
        let input = Input::parse(b"{}").unwrap();
        assert_eq!(input.action(), "");
        assert_eq!(input.context(), &Context::default());
        assert!(input.params().is_empty());
        let input = Input::parse(br#"{"action":"x","context":{"note":"36","channel":1.5}}"#).unwrap();
        assert_eq!((input.context().note, input.context().channel), (None, None));
        assert_eq!(input.context().get("note"), Some(&Value::from("36")));
    }

    #[test]
    fn unusable_input_is_code_2_with_a_reason() {
        let cases: [(&[u8], &str); 7] = [
            (b"", "not JSON"),
            (b"{\"action\":", "not JSON"),
            (b"\xff\xfe", "not UTF-8"),
            (b"[1,2]", "expected a JSON object, got an array"),
            (br#"{"action":5}"#, "\"action\" must be a string, got a number"),
            (br#"{"context":"x"}"#, "\"context\" must be an object, got a string"),
            (br#"{"parameters":[1]}"#, "\"parameters\" must be an object, got an array"),
        ];
        for (bytes, reason) in cases {
            let e = Input::parse(bytes).unwrap_err();
            assert_eq!(e.code(), 2);
            assert!(e.message().contains(reason), "{:?}: {}", String::from_utf8_lossy(bytes), e.message());
        }
    }
}
