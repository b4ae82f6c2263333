// AssemblyScript SDK for Conductor plugins — the plugin's settings (`conductor.setting`): typed reads with defaults.
// Must never log a setting's value (it may be a secret) and never trap: an unset or undeclared setting is "absent".
import * as raw from "./conductor";
import { parseJson, JsonValue } from "./json";

/** Reads one setting the metadata declares: its JSON value, or null when it is unset (and has no default) or undeclared. */
export function settingValue(name: string): JsonValue | null {
  const key = String.UTF8.encode(name);
  let cap: i32 = 256;
  for (let attempt = 0; attempt < 2; attempt++) {
    const buf = heap.alloc(<usize>cap);
    const r = raw.setting(changetype<usize>(key), <usize>key.byteLength, buf, <usize>cap);
    if (r >= 0) {
      const text = String.UTF8.decodeUnsafe(buf, <usize>r);
      heap.free(buf);
      const parsed = parseJson(text);
      if (parsed.value === null || !parsed.value!.isObject) return null;
      return parsed.value!.get("value");
    }
    heap.free(buf);
    if (r > -16) return null; // -7 not set, -1 not declared (the host logs which), -2 name too long
    cap = -r; // the value needs a bigger buffer: one more try
  }
  return null;
}

/** The plugin's settings, as the user set them in the Plugins view (or `--setting KEY=VALUE`), else their defaults. */
export class settings {
  /** A string, secret, url or host setting; `fallback` when unset. */
  static string(name: string, fallback: string = ""): string {
    const v = settingValue(name);
    return v !== null && v.isString ? v.stringValue : fallback;
  }
  /** A number setting as an integer (fractions are cut); `fallback` when unset. */
  static int(name: string, fallback: i64 = 0): i64 {
    const v = settingValue(name);
    return v !== null && v.isNumber ? <i64>v.numberValue : fallback;
  }
  /** A number setting; `fallback` when unset. */
  static float(name: string, fallback: f64 = 0): f64 {
    const v = settingValue(name);
    return v !== null && v.isNumber ? v.numberValue : fallback;
  }
  /** A bool setting; `fallback` when unset. */
  static bool(name: string, fallback: bool = false): bool {
    const v = settingValue(name);
    return v !== null && v.isBool ? v.boolValue : fallback;
  }
  /** Whether the setting has a value (or a default). */
  static has(name: string): bool {
    return settingValue(name) !== null;
  }
}
