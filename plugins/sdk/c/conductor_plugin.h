/*
 * conductor_plugin.h — single-header C SDK for Conductor plugins (plugin ABI v1), vendored into plugin projects.
 * It must never need anything beyond C99 + wasi-libc, nor change what its existing functions do (fixtures rely on them).
 *
 * Target: wasm32-wasi, built as a WASI *reactor*:
 *
 *   clang --target=wasm32-wasi -O2 -mexec-model=reactor -Wl,--stack-first \
 *         -Wl,--strip-debug -o my_plugin.wasm my_plugin.c
 *
 * What this header gives you (see README.md beside it for a walk-through):
 *
 * The plugin layer (start here):
 *
 *   - CONDUCTOR_PLUGIN(metadata_json, handler);
 *                                  defines the exports init (-> metadata), execute,
 *                                  alloc and dealloc; you write ONE function
 *                                  `int32_t handler(const conductor_input *in)`
 *   - conductor_input              the parsed input: action, typed context,
 *                                  conductor_param_string/int/double/bool/raw()
 *   - conductor_error(code, fmt, ...)  log at error level, return the code
 *   - conductor_debugf/infof/warnf/errorf(fmt, ...)
 *   - conductor_http_send / conductor_exec_run  typed request/response structs
 *                                  (escaped JSON built for you, 256 KiB default
 *                                  buffer, BufferTooSmall handling)
 *   - conductor_note_on / note_off / control_change, conductor_notify
 *
 * The raw layer (everything the plugin layer is built on):
 *
 *   - CONDUCTOR_EXPORT(name)       export a C function under a wasm export name
 *   - conductor_host_log()         the `conductor.log(level, ptr, len)` host import
 *   - conductor_log_debug/info/warn/error(msg), conductor_logf(level, fmt, ...)
 *   - conductor_exec / _midi_send / _notify / _http_request, the
 *                                  capability-gated host functions, and
 *                                  conductor_json_quote() to build requests
 *   - CONDUCTOR_DEFAULT_ALLOC      #define it (in ONE .c file) before including
 *                                  to get `alloc`/`dealloc` exports backed by
 *                                  malloc/free
 *   - conductor_metadata(json)     pack (ptr << 32) | len for `init() -> i64`
 *   - conductor_flush()            flush stdout/stderr before returning
 *   - conductor_json_*             a deliberately small JSON reader for the
 *                                  `execute` input (flat params + `context`)
 *
 * Everything except the CONDUCTOR_DEFAULT_ALLOC block is `static inline`, so
 * the header can be included from several translation units and costs nothing
 * for the parts you do not use. Requires C99 or later.
 *
 * ABI v1 summary (what the host expects from the module):
 *   exports  memory, alloc(i32)->i32, execute(i32 ptr, i32 len)->i32,
 *            optional dealloc(i32,i32), shutdown(), init() or init()->i64,
 *            and `_initialize` (added automatically for reactors).
 *   imports  only `wasi_snapshot_preview1.*` and `conductor.*` (log, exec,
 *            midi_send, notify, http_request).
 *   execute  input is UTF-8 JSON at ptr..ptr+len, NOT NUL-terminated;
 *            return 0 for success, any other value is your error code.
 *   after `execute` returns, the host frees the input with `dealloc(ptr, len)`
 *            when the plugin exports it — never keep pointers into the input.
 */
#ifndef CONDUCTOR_PLUGIN_H
#define CONDUCTOR_PLUGIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Version of the plugin ABI this header implements. */
#define CONDUCTOR_ABI_VERSION 1

/* ------------------------------------------------------------------------ */
/* Exports and imports                                                       */
/* ------------------------------------------------------------------------ */

/**
 * Export the following function under the wasm export name `name` (a bare
 * identifier). The C function may have any name; using a prefixed C name
 * avoids clashes with libc symbols (e.g. POSIX `shutdown`):
 *
 *   CONDUCTOR_EXPORT(execute) int32_t my_execute(const char *in, int32_t len);
 *   CONDUCTOR_EXPORT(shutdown) void my_shutdown(void);
 */
#define CONDUCTOR_EXPORT(name) __attribute__((export_name(#name), used))

/** Log levels understood by `conductor.log`. */
enum {
    CONDUCTOR_LOG_DEBUG = 0,
    CONDUCTOR_LOG_INFO = 1,
    CONDUCTOR_LOG_WARN = 2,
    CONDUCTOR_LOG_ERROR = 3
};

/**
 * The host function `conductor.log(level, ptr, len)`: append a UTF-8 message
 * (ptr..ptr+len, no NUL needed) to the plugin's log. Available to every
 * plugin, no capability required. The import only appears in your module if
 * you call it (directly or through the helpers below).
 */
__attribute__((import_module("conductor"), import_name("log")))
void conductor_host_log(int32_t level, const char *ptr, int32_t len);

/** Log a NUL-terminated message at `level`. */
static inline void conductor_log(int32_t level, const char *msg) {
    if (!msg) msg = "(null)";
    conductor_host_log(level, msg, (int32_t)strlen(msg));
}
static inline void conductor_log_debug(const char *msg) { conductor_log(CONDUCTOR_LOG_DEBUG, msg); }
static inline void conductor_log_info(const char *msg) { conductor_log(CONDUCTOR_LOG_INFO, msg); }
static inline void conductor_log_warn(const char *msg) { conductor_log(CONDUCTOR_LOG_WARN, msg); }
static inline void conductor_log_error(const char *msg) { conductor_log(CONDUCTOR_LOG_ERROR, msg); }

#ifndef CONDUCTOR_LOGF_MAX
/** Longest message conductor_logf formats; longer ones are cut and end in "...". */
#define CONDUCTOR_LOGF_MAX 512
#endif

/** printf-style logging through `conductor.log` (message cut at CONDUCTOR_LOGF_MAX bytes). */
__attribute__((format(printf, 2, 3)))
static inline void conductor_logf(int32_t level, const char *fmt, ...) {
    char buf[CONDUCTOR_LOGF_MAX];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n >= sizeof buf) {
        n = (int)sizeof buf - 1;
        memcpy(buf + n - 3, "...", 3);
    }
    conductor_host_log(level, buf, n);
}

/** conductor_logf with a va_list (same cut at CONDUCTOR_LOGF_MAX bytes). */
static inline void conductor_vlogf(int32_t level, const char *fmt, va_list ap) {
    char buf[CONDUCTOR_LOGF_MAX];
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    if (n < 0) return;
    if ((size_t)n >= sizeof buf) {
        n = (int)sizeof buf - 1;
        memcpy(buf + n - 3, "...", 3);
    }
    conductor_host_log(level, buf, n);
}

#define CONDUCTOR__LEVEL_LOGF(name, level)                                  \
    __attribute__((format(printf, 1, 2)))                                  \
    static inline void name(const char *fmt, ...) {                        \
        va_list ap;                                                        \
        va_start(ap, fmt);                                                 \
        conductor_vlogf(level, fmt, ap);                                   \
        va_end(ap);                                                        \
    }
/** printf-style logging at one level: conductor_infof("step %d", n). */
CONDUCTOR__LEVEL_LOGF(conductor_debugf, CONDUCTOR_LOG_DEBUG)
CONDUCTOR__LEVEL_LOGF(conductor_infof, CONDUCTOR_LOG_INFO)
CONDUCTOR__LEVEL_LOGF(conductor_warnf, CONDUCTOR_LOG_WARN)
CONDUCTOR__LEVEL_LOGF(conductor_errorf, CONDUCTOR_LOG_ERROR)
#undef CONDUCTOR__LEVEL_LOGF

/**
 * Log a printf-style message at error level and return `code` (1 if code is
 * 0, since 0 means success), so a handler can fail in one line:
 *
 *   return conductor_error(1, "unknown action \"%s\"", in->action);
 */
__attribute__((format(printf, 2, 3)))
static inline int32_t conductor_error(int32_t code, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    conductor_vlogf(CONDUCTOR_LOG_ERROR, fmt, ap);
    va_end(ap);
    return code != 0 ? code : 1;
}

/**
 * stdout and stderr become the plugin's log, but a reactor never runs libc's
 * exit-time flush, so buffered printf output could sit in memory. Call this
 * before returning from `execute`/`init`/`shutdown`. Also make stdout line
 * buffered in `init` — setvbuf(stdout, NULL, _IOLBF, 0) — so printed lines and
 * conductor.log messages reach the host in program order.
 */
static inline void conductor_flush(void) {
    fflush(stdout);
    fflush(stderr);
}

/* ------------------------------------------------------------------------ */
/* Capability-gated host functions                                           */
/* ------------------------------------------------------------------------ */
/*
 * Each needs a capability the user grants (declare it in your metadata's
 * "capabilities"). Calling one without the grant FAILS THE CALL (error kind
 * "capability"); it does not return an error code. Like conductor.log, an
 * import only appears in your module if you call it.
 *
 * Return values:
 *   >= 0   success (exec / http_request: bytes of the JSON response written)
 *   -1 … -15  an error code (below); the reason is in the plugin's log as a warning
 *   <= -16 (exec / http_request only) the out buffer was too small: -r bytes
 *          are needed, nothing was written. Call again with a bigger buffer
 *          (note: for exec the program has run; calling again runs it again).
 *
 * A pointer/length outside linear memory traps (fails the call).
 */
#define CONDUCTOR_OK 0
#define CONDUCTOR_E_INVALID (-1)     /* malformed request (JSON, field types, unknown field), invalid MIDI or UTF-8 */
#define CONDUCTOR_E_TOO_LARGE (-2)   /* request / message over the function's size limit */
#define CONDUCTOR_E_DENIED (-3)      /* refused by policy: not http(s), host not in allowed_hosts, or a local/private address not named there */
#define CONDUCTOR_E_LIMIT (-4)       /* a per-call budget is used up (events, MIDI bytes) */
#define CONDUCTOR_E_UNAVAILABLE (-5) /* the host cannot do it here */
#define CONDUCTOR_E_LAST (-15)       /* lowest error code; anything lower is a needed buffer size */

/** Bytes needed when a host function returned "out buffer too small", else 0. */
static inline int32_t conductor_needed(int32_t r) { return r < CONDUCTOR_E_LAST ? -r : 0; }

/**
 * conductor.exec — capability "subprocess" (high risk). Runs a program
 * WITHOUT a shell: request JSON {"program":"echo","args":["hi"],"stdin":"…"}
 * ("args" and "stdin" optional; no "cwd": it runs in the plugin's data dir
 * with the filesystem grant, else the OS temp dir; env is only PATH).
 * Writes {"status":0,"signal":null,"stdout":"…","stderr":"…"} (plus
 * "truncated":true / "error":"…" when relevant) to out.
 */
__attribute__((import_module("conductor"), import_name("exec")))
int32_t conductor_host_exec(const char *req, int32_t req_len, char *out, int32_t out_cap);

/** conductor.midi_send — capability "midi". Raw MIDI: complete messages, each with its status byte, or F0…F7. */
__attribute__((import_module("conductor"), import_name("midi_send")))
int32_t conductor_host_midi_send(const uint8_t *bytes, int32_t len);

/** conductor.notify — capability "systemcontrol" (high risk). Asks the host to show a notification. */
__attribute__((import_module("conductor"), import_name("notify")))
int32_t conductor_host_notify(const char *title, int32_t title_len, const char *body, int32_t body_len);

/**
 * conductor.http_request — capability "network". Blocking HTTP(S) request:
 * {"method":"GET","url":"https://…","headers":{"k":"v"},"body":"…"}; only to
 * the plugin's allowed_hosts. Writes {"status":200,"headers":{…},"body":"…"}
 * (plus "truncated"/"error") to out. Redirects are not followed.
 */
__attribute__((import_module("conductor"), import_name("http_request")))
int32_t conductor_host_http_request(const char *req, int32_t req_len, char *out, int32_t out_cap);

/** exec with a NUL-terminated request; the response in out is NUL-terminated when it fits with room to spare. */
static inline int32_t conductor_exec(const char *request_json, char *out, int32_t out_cap) {
    int32_t r = conductor_host_exec(request_json, (int32_t)strlen(request_json), out, out_cap);
    if (r >= 0 && r < out_cap) out[r] = '\0';
    return r;
}

/** http_request with a NUL-terminated request; the response is NUL-terminated when there is room. */
static inline int32_t conductor_http_request(const char *request_json, char *out, int32_t out_cap) {
    int32_t r = conductor_host_http_request(request_json, (int32_t)strlen(request_json), out, out_cap);
    if (r >= 0 && r < out_cap) out[r] = '\0';
    return r;
}

static inline int32_t conductor_midi_send(const uint8_t *bytes, size_t len) {
    return conductor_host_midi_send(bytes, (int32_t)len);
}

/** Sends a 3-byte channel message, e.g. conductor_midi_send3(0x90 | ch, note, velocity). */
static inline int32_t conductor_midi_send3(uint8_t status, uint8_t data1, uint8_t data2) {
    uint8_t msg[3] = {status, data1, data2};
    return conductor_host_midi_send(msg, 3);
}

static inline int32_t conductor_notify(const char *title, const char *body) {
    if (!body) body = "";
    return conductor_host_notify(title, (int32_t)strlen(title), body, (int32_t)strlen(body));
}

/**
 * Write s as a quoted, escaped JSON string into out (NUL-terminated when
 * out_size > 0). Returns the full length without the NUL; if that is
 * >= out_size the output was cut — use it to build exec / http requests:
 *
 *   char prog[256];
 *   conductor_json_quote(name, prog, sizeof prog);
 *   snprintf(req, sizeof req, "{\"program\":%s,\"args\":[]}", prog);
 */
static inline size_t conductor_json_quote(const char *s, char *out, size_t out_size) {
    static const char hex[] = "0123456789abcdef";
    size_t n = 0;
#define CONDUCTOR__PUT(c) do { if (n + 1 < out_size) out[n] = (c); n++; } while (0)
    CONDUCTOR__PUT('"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') { CONDUCTOR__PUT('\\'); CONDUCTOR__PUT((char)c); }
        else if (c == '\n') { CONDUCTOR__PUT('\\'); CONDUCTOR__PUT('n'); }
        else if (c == '\r') { CONDUCTOR__PUT('\\'); CONDUCTOR__PUT('r'); }
        else if (c == '\t') { CONDUCTOR__PUT('\\'); CONDUCTOR__PUT('t'); }
        else if (c < 0x20) {
            CONDUCTOR__PUT('\\'); CONDUCTOR__PUT('u'); CONDUCTOR__PUT('0'); CONDUCTOR__PUT('0');
            CONDUCTOR__PUT(hex[c >> 4]); CONDUCTOR__PUT(hex[c & 15]);
        } else CONDUCTOR__PUT((char)c);
    }
    CONDUCTOR__PUT('"');
#undef CONDUCTOR__PUT
    if (out_size > 0) out[n < out_size ? n : out_size - 1] = '\0';
    return n;
}

/* ------------------------------------------------------------------------ */
/* Metadata from init() -> i64                                               */
/* ------------------------------------------------------------------------ */

/**
 * Pack a metadata string for `init() -> i64`: (ptr << 32) | len. The bytes
 * must stay valid after `init` returns (use a string literal or static/heap
 * storage you never free). The host caps metadata at 1 MiB.
 *
 *   CONDUCTOR_EXPORT(init) uint64_t my_init(void) {
 *       return conductor_metadata("{\"name\":\"demo\",...}");
 *   }
 */
static inline uint64_t conductor_metadata_n(const char *json, size_t len) {
    return ((uint64_t)(uintptr_t)json << 32) | (uint64_t)(uint32_t)len;
}
static inline uint64_t conductor_metadata(const char *json) {
    return conductor_metadata_n(json, strlen(json));
}

/* ------------------------------------------------------------------------ */
/* Default alloc / dealloc                                                   */
/* ------------------------------------------------------------------------ */

#ifdef CONDUCTOR_DEFAULT_ALLOC
/*
 * Defined in exactly one translation unit (the one that #defines
 * CONDUCTOR_DEFAULT_ALLOC before including this header).
 * `alloc(size)` returns a malloc'd buffer (NULL when memory is exhausted or
 * size is negative); `dealloc(ptr, size)` frees it. The host calls dealloc on
 * the input buffer after `execute` returns.
 */
CONDUCTOR_EXPORT(alloc) void *conductor_default_alloc(int32_t size);
CONDUCTOR_EXPORT(dealloc) void conductor_default_dealloc(void *ptr, int32_t size);

void *conductor_default_alloc(int32_t size) {
    if (size < 0) return NULL;
    return malloc(size > 0 ? (size_t)size : 1u);
}
void conductor_default_dealloc(void *ptr, int32_t size) {
    (void)size;
    free(ptr);
}
#endif /* CONDUCTOR_DEFAULT_ALLOC */

/* ------------------------------------------------------------------------ */
/* Minimal JSON reader                                                       */
/* ------------------------------------------------------------------------ */
/*
 * Honest scope: this is a small, allocation-free reader for looking up a few
 * values in the `execute` input. It is NOT a general JSON library.
 *
 *   - Lookups take a path of object keys separated by '.', e.g. "action",
 *     "step", "context.note". Array indexing is not supported, and keys that
 *     themselves contain '.' cannot be addressed.
 *   - It walks the document structurally (strings, escapes, nested objects
 *     and arrays are skipped correctly), so a key is matched only at the right
 *     depth and never inside a string value: {"a":"\"step\":5","step":2}
 *     finds step = 2.
 *   - Keys are compared after unescaping; keys longer than 255 bytes never
 *     match. If a key occurs twice in one object, the FIRST occurrence wins.
 *   - Every lookup first checks the structure of the whole top-level value
 *     (O(input) per lookup — fine for the few-hundred-byte inputs plugins
 *     get); malformed input yields "not found". The check is structural, not
 *     a full validator: number syntax is only checked by _get_int, and bytes
 *     after the top-level value are ignored. Nesting deeper than
 *     CONDUCTOR_JSON_MAX_DEPTH is treated as malformed.
 *   - Strings are unescaped (\" \\ \/ \b \f \n \r \t \uXXXX incl. surrogate
 *     pairs → UTF-8; a lone surrogate becomes U+FFFD).
 */

#ifndef CONDUCTOR_JSON_MAX_DEPTH
#define CONDUCTOR_JSON_MAX_DEPTH 32
#endif

typedef enum {
    CONDUCTOR_JSON_NONE = 0, /* not found / malformed */
    CONDUCTOR_JSON_STRING,
    CONDUCTOR_JSON_NUMBER,
    CONDUCTOR_JSON_OBJECT,
    CONDUCTOR_JSON_ARRAY,
    CONDUCTOR_JSON_TRUE,
    CONDUCTOR_JSON_FALSE,
    CONDUCTOR_JSON_NULL
} conductor_json_type;

/** A value located in the input: the raw bytes of the token (strings include their quotes). */
typedef struct {
    conductor_json_type type;
    const char *ptr;
    size_t len;
} conductor_json_value;

static inline const char *conductor_json__ws(const char *p, const char *end) {
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) p++;
    return p;
}

static inline int conductor_json__hex4(const char *p, const char *end, uint32_t *out) {
    uint32_t v = 0;
    if (end - p < 4) return 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        v <<= 4;
        if (c >= '0' && c <= '9') v |= (uint32_t)(c - '0');
        else if (c >= 'a' && c <= 'f') v |= (uint32_t)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') v |= (uint32_t)(c - 'A' + 10);
        else return 0;
    }
    *out = v;
    return 1;
}

/* p points at '"'; returns the byte after the closing quote, or NULL. */
static inline const char *conductor_json__skip_string(const char *p, const char *end) {
    p++;
    while (p < end) {
        unsigned char c = (unsigned char)*p;
        if (c == '"') return p + 1;
        if (c == '\\') {
            if (p + 1 >= end) return NULL;
            p += 2;
            continue;
        }
        if (c < 0x20) return NULL; /* raw control characters are not allowed */
        p++;
    }
    return NULL;
}

static inline const char *conductor_json__skip_value(const char *p, const char *end, int depth,
                                                     conductor_json_type *type);

static inline const char *conductor_json__skip_container(const char *p, const char *end, int depth) {
    char close = *p == '{' ? '}' : ']';
    int is_object = *p == '{';
    if (depth >= CONDUCTOR_JSON_MAX_DEPTH) return NULL;
    p = conductor_json__ws(p + 1, end);
    if (p < end && *p == close) return p + 1;
    for (;;) {
        conductor_json_type t;
        if (is_object) {
            if (p >= end || *p != '"') return NULL;
            p = conductor_json__skip_string(p, end);
            if (!p) return NULL;
            p = conductor_json__ws(p, end);
            if (p >= end || *p != ':') return NULL;
            p = conductor_json__ws(p + 1, end);
        }
        p = conductor_json__skip_value(p, end, depth + 1, &t);
        if (!p) return NULL;
        p = conductor_json__ws(p, end);
        if (p >= end) return NULL;
        if (*p == close) return p + 1;
        if (*p != ',') return NULL;
        p = conductor_json__ws(p + 1, end);
    }
}

/* p at the first byte of a value (whitespace already skipped). Returns the byte after it, or NULL. */
static inline const char *conductor_json__skip_value(const char *p, const char *end, int depth,
                                                     conductor_json_type *type) {
    *type = CONDUCTOR_JSON_NONE;
    if (p >= end) return NULL;
    switch (*p) {
    case '"':
        *type = CONDUCTOR_JSON_STRING;
        return conductor_json__skip_string(p, end);
    case '{':
        *type = CONDUCTOR_JSON_OBJECT;
        return conductor_json__skip_container(p, end, depth);
    case '[':
        *type = CONDUCTOR_JSON_ARRAY;
        return conductor_json__skip_container(p, end, depth);
    case 't':
        *type = CONDUCTOR_JSON_TRUE;
        return (end - p >= 4 && memcmp(p, "true", 4) == 0) ? p + 4 : NULL;
    case 'f':
        *type = CONDUCTOR_JSON_FALSE;
        return (end - p >= 5 && memcmp(p, "false", 5) == 0) ? p + 5 : NULL;
    case 'n':
        *type = CONDUCTOR_JSON_NULL;
        return (end - p >= 4 && memcmp(p, "null", 4) == 0) ? p + 4 : NULL;
    default:
        if (*p == '-' || (*p >= '0' && *p <= '9')) {
            const char *start = p;
            *type = CONDUCTOR_JSON_NUMBER;
            while (p < end && ((*p >= '0' && *p <= '9') || *p == '-' || *p == '+' || *p == '.' ||
                               *p == 'e' || *p == 'E'))
                p++;
            return p > start ? p : NULL;
        }
        return NULL;
    }
}

static inline size_t conductor_json__put_utf8(char *dst, uint32_t cp) {
    if (cp < 0x80) { dst[0] = (char)cp; return 1; }
    if (cp < 0x800) {
        dst[0] = (char)(0xC0 | (cp >> 6));
        dst[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        dst[0] = (char)(0xE0 | (cp >> 12));
        dst[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        dst[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    dst[0] = (char)(0xF0 | (cp >> 18));
    dst[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    dst[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    dst[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/*
 * Unescape the string token tok..tok+tok_len (including its quotes) into
 * out[0..out_size). Always NUL-terminates when out_size > 0. Returns the full
 * decoded length (which may exceed out_size - 1: the output was then cut at a
 * byte boundary), or (size_t)-1 if the token is malformed.
 */
static inline size_t conductor_json__unescape(const char *tok, size_t tok_len, char *out, size_t out_size) {
    const char *p = tok + 1, *end = tok + tok_len - 1; /* inside the quotes */
    size_t n = 0;
    if (tok_len < 2 || tok[0] != '"' || tok[tok_len - 1] != '"') return (size_t)-1;
    while (p < end) {
        char enc[4];
        size_t k = 1;
        if (*p != '\\') {
            enc[0] = *p++;
        } else {
            if (p + 1 >= end) return (size_t)-1;
            char e = p[1];
            p += 2;
            switch (e) {
            case '"': enc[0] = '"'; break;
            case '\\': enc[0] = '\\'; break;
            case '/': enc[0] = '/'; break;
            case 'b': enc[0] = '\b'; break;
            case 'f': enc[0] = '\f'; break;
            case 'n': enc[0] = '\n'; break;
            case 'r': enc[0] = '\r'; break;
            case 't': enc[0] = '\t'; break;
            case 'u': {
                uint32_t cp, lo;
                if (!conductor_json__hex4(p, end, &cp)) return (size_t)-1;
                p += 4;
                if (cp >= 0xD800 && cp <= 0xDBFF && end - p >= 6 && p[0] == '\\' && p[1] == 'u' &&
                    conductor_json__hex4(p + 2, end, &lo) && lo >= 0xDC00 && lo <= 0xDFFF) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    p += 6;
                } else if (cp >= 0xD800 && cp <= 0xDFFF) {
                    cp = 0xFFFD; /* lone surrogate */
                }
                k = conductor_json__put_utf8(enc, cp);
                break;
            }
            default:
                return (size_t)-1;
            }
        }
        for (size_t i = 0; i < k; i++, n++)
            if (out_size > 0 && n < out_size - 1) out[n] = enc[i];
    }
    if (out_size > 0) out[n < out_size - 1 ? n : out_size - 1] = '\0';
    return n;
}

/*
 * Find `key` (key_len bytes) among the members of the object at `obj`.
 * On success stores the member's value and returns 1.
 */
static inline int conductor_json__member(const char *obj, const char *end, const char *key, size_t key_len,
                                         conductor_json_value *out) {
    const char *p = obj;
    if (p >= end || *p != '{') return 0;
    p = conductor_json__ws(p + 1, end);
    if (p < end && *p == '}') return 0;
    for (;;) {
        const char *ks, *vs;
        char kbuf[256];
        size_t klen;
        conductor_json_type t;
        if (p >= end || *p != '"') return 0;
        ks = p;
        p = conductor_json__skip_string(p, end);
        if (!p) return 0;
        klen = conductor_json__unescape(ks, (size_t)(p - ks), kbuf, sizeof kbuf);
        p = conductor_json__ws(p, end);
        if (p >= end || *p != ':') return 0;
        vs = conductor_json__ws(p + 1, end);
        p = conductor_json__skip_value(vs, end, 1, &t);
        if (!p) return 0;
        if (klen == key_len && klen < sizeof kbuf && memcmp(kbuf, key, key_len) == 0) {
            out->type = t;
            out->ptr = vs;
            out->len = (size_t)(p - vs);
            return 1;
        }
        p = conductor_json__ws(p, end);
        if (p >= end || *p != ',') return 0;
        p = conductor_json__ws(p + 1, end);
    }
}

/**
 * Locate the value at `path` ("key" or "outer.inner") in the JSON document
 * json..json+len (need not be NUL-terminated). Returns 1 and fills `out` when
 * found, else 0 (missing key, a non-object on the way, or malformed input).
 * An empty path returns the whole document.
 */
static inline int conductor_json_find(const char *json, size_t len, const char *path, conductor_json_value *out) {
    const char *end = json + len;
    const char *p = conductor_json__ws(json, end);
    conductor_json_value cur;
    conductor_json_type t;
    const char *after = conductor_json__skip_value(p, end, 0, &t);
    if (!after || !path) return 0;
    cur.type = t;
    cur.ptr = p;
    cur.len = (size_t)(after - p);
    while (*path) {
        const char *dot = strchr(path, '.');
        size_t seg = dot ? (size_t)(dot - path) : strlen(path);
        if (cur.type != CONDUCTOR_JSON_OBJECT) return 0;
        if (!conductor_json__member(cur.ptr, cur.ptr + cur.len, path, seg, &cur)) return 0;
        path += seg;
        if (*path == '.') path++;
    }
    *out = cur;
    return 1;
}

/** 1 if `path` exists (with any value, including null), else 0. */
static inline int conductor_json_has(const char *json, size_t len, const char *path) {
    conductor_json_value v;
    return conductor_json_find(json, len, path, &v);
}

/**
 * Copy the unescaped string at `path` into buf (NUL-terminated when
 * buf_size > 0). Returns its length in bytes; -1 if missing, not a string or
 * malformed — buf is then left untouched, so it can hold a default; -2 if it
 * did not fit (buf then holds a truncated prefix — note that truncation may
 * split a multi-byte UTF-8 character).
 */
static inline int conductor_json_get_string(const char *json, size_t len, const char *path, char *buf,
                                            size_t buf_size) {
    conductor_json_value v;
    size_t n;
    if (!conductor_json_find(json, len, path, &v) || v.type != CONDUCTOR_JSON_STRING) return -1;
    if (conductor_json__unescape(v.ptr, v.len, NULL, 0) == (size_t)-1) return -1; /* validate first */
    n = conductor_json__unescape(v.ptr, v.len, buf, buf_size);
    if (buf_size == 0 || n >= buf_size) return -2;
    return n > (size_t)INT32_MAX ? -2 : (int)n;
}

/**
 * Read the integer at `path`. Accepts JSON integers (within int64) and numbers
 * whose fraction is all zeros ("2.0"). Returns 0 and stores *out on success;
 * -1 if missing or not a number; -2 if it is a number but not such an integer
 * (fraction, exponent, out of range, malformed).
 */
static inline int conductor_json_get_int(const char *json, size_t len, const char *path, int64_t *out) {
    conductor_json_value v;
    const char *p, *end;
    int neg = 0, digits = 0;
    uint64_t mag = 0;
    if (!conductor_json_find(json, len, path, &v) || v.type != CONDUCTOR_JSON_NUMBER) return -1;
    p = v.ptr;
    end = v.ptr + v.len;
    if (p < end && *p == '-') { neg = 1; p++; }
    while (p < end && *p >= '0' && *p <= '9') {
        unsigned d = (unsigned)(*p - '0');
        if (mag > (UINT64_MAX - d) / 10) return -2;
        mag = mag * 10 + d;
        digits++;
        p++;
    }
    if (digits == 0) return -2;
    if (p < end && *p == '.') {
        p++;
        if (p >= end) return -2;
        while (p < end && *p == '0') p++;
    }
    if (p != end) return -2; /* non-zero fraction, exponent or junk */
    if (neg) {
        if (mag > (uint64_t)INT64_MAX + 1u) return -2;
        *out = mag == (uint64_t)INT64_MAX + 1u ? INT64_MIN : -(int64_t)mag;
    } else {
        if (mag > (uint64_t)INT64_MAX) return -2;
        *out = (int64_t)mag;
    }
    return 0;
}

/** Read the boolean at `path`: returns 0 and stores 0/1 in *out, or -1 if missing / not a boolean. */
static inline int conductor_json_get_bool(const char *json, size_t len, const char *path, int *out) {
    conductor_json_value v;
    if (!conductor_json_find(json, len, path, &v)) return -1;
    if (v.type == CONDUCTOR_JSON_TRUE) { *out = 1; return 0; }
    if (v.type == CONDUCTOR_JSON_FALSE) { *out = 0; return 0; }
    return -1;
}


/* ======================================================================== */
/* The plugin layer                                                          */
/* ======================================================================== */
/*
 * Everything below is built on the raw layer above and is what a plugin
 * author normally uses:
 *
 *   #include "conductor_plugin.h"
 *
 *   static int32_t handle(const conductor_input *in) {
 *       if (strcmp(in->action, "greet") != 0)
 *           return conductor_error(1, "unknown action \"%s\"", in->action);
 *       char who[64];
 *       conductor_param_string(in, "who", who, sizeof who, "world");
 *       conductor_infof("Hello, %s!", who);
 *       return 0;
 *   }
 *
 *   CONDUCTOR_PLUGIN("{\"name\":\"hello\",...}", handle);
 */

/* ---- limits and SDK-side codes ----------------------------------------- */

#ifndef CONDUCTOR_ACTION_MAX
/** Size of conductor_input.action (with its NUL): a longer action is invalid input (code 2). */
#define CONDUCTOR_ACTION_MAX 128
#endif
#ifndef CONDUCTOR_CONTEXT_STRING_MAX
/** Size of the context's trigger/mode/device buffers (with the NUL); longer strings are cut at a character boundary. */
#define CONDUCTOR_CONTEXT_STRING_MAX 128
#endif
#ifndef CONDUCTOR_DEFAULT_CAPACITY
/** Response buffer conductor_http_send / conductor_exec_run allocate when the caller gives none. */
#define CONDUCTOR_DEFAULT_CAPACITY (256 * 1024)
#endif

/** The code CONDUCTOR_PLUGIN's execute returns for input it cannot parse (the reason is logged at error level). */
#define CONDUCTOR_INVALID_INPUT 2

/*
 * Codes the typed wrappers return besides CONDUCTOR_OK and the host's
 * CONDUCTOR_E_* (-1 … -5). These are the SDK's own; the host never returns them.
 */
#define CONDUCTOR_E_BUFFER_TOO_SMALL (-16) /* response buffer too small: res.needed holds the bytes needed */
#define CONDUCTOR_E_NO_MEMORY (-100)       /* malloc failed while building the request or the buffer */
#define CONDUCTOR_E_BAD_RESPONSE (-101)    /* the host's response JSON could not be read (a bug; logged) */

/** A short name for any code above: "invalid", "too large", "denied", "limit", "unavailable", … */
static inline const char *conductor_strerror(int32_t code) {
    switch (code) {
    case CONDUCTOR_OK: return "ok";
    case CONDUCTOR_E_INVALID: return "invalid";
    case CONDUCTOR_E_TOO_LARGE: return "too large";
    case CONDUCTOR_E_DENIED: return "denied";
    case CONDUCTOR_E_LIMIT: return "limit";
    case CONDUCTOR_E_UNAVAILABLE: return "unavailable";
    case CONDUCTOR_E_BUFFER_TOO_SMALL: return "buffer too small";
    case CONDUCTOR_E_NO_MEMORY: return "out of memory";
    case CONDUCTOR_E_BAD_RESPONSE: return "bad response";
    default: return "unknown error";
    }
}

/** Number of elements of an array (not a pointer): for header_count / arg_count. */
#define CONDUCTOR_COUNTOF(array) (sizeof(array) / sizeof((array)[0]))

/* ---- strict JSON check ------------------------------------------------- */

static inline const char *conductor_json__valid_value(const char *p, const char *end, int depth);

static inline int conductor_json__digit(const char *p, const char *end) { return p < end && *p >= '0' && *p <= '9'; }

/* A JSON number by the grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static inline const char *conductor_json__valid_number(const char *p, const char *end) {
    if (p < end && *p == '-') p++;
    if (!conductor_json__digit(p, end)) return NULL;
    if (*p == '0') p++;
    else while (conductor_json__digit(p, end)) p++;
    if (p < end && *p == '.') {
        p++;
        if (!conductor_json__digit(p, end)) return NULL;
        while (conductor_json__digit(p, end)) p++;
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < end && (*p == '+' || *p == '-')) p++;
        if (!conductor_json__digit(p, end)) return NULL;
        while (conductor_json__digit(p, end)) p++;
    }
    return p;
}

/* A string with valid escapes and no raw control characters; p at '"'. */
static inline const char *conductor_json__valid_string(const char *p, const char *end) {
    p++;
    while (p < end) {
        unsigned char c = (unsigned char)*p;
        if (c == '"') return p + 1;
        if (c < 0x20) return NULL;
        if (c == '\\') {
            uint32_t cp;
            if (p + 1 >= end) return NULL;
            switch (p[1]) {
            case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't': p += 2; break;
            case 'u':
                if (!conductor_json__hex4(p + 2, end, &cp)) return NULL;
                p += 6;
                break;
            default: return NULL;
            }
            continue;
        }
        p++;
    }
    return NULL;
}

static inline const char *conductor_json__valid_value(const char *p, const char *end, int depth) {
    if (p >= end) return NULL;
    switch (*p) {
    case '"': return conductor_json__valid_string(p, end);
    case 't': return (end - p >= 4 && memcmp(p, "true", 4) == 0) ? p + 4 : NULL;
    case 'f': return (end - p >= 5 && memcmp(p, "false", 5) == 0) ? p + 5 : NULL;
    case 'n': return (end - p >= 4 && memcmp(p, "null", 4) == 0) ? p + 4 : NULL;
    case '{': case '[': {
        char close = *p == '{' ? '}' : ']';
        int is_object = *p == '{';
        if (depth >= CONDUCTOR_JSON_MAX_DEPTH) return NULL;
        p = conductor_json__ws(p + 1, end);
        if (p < end && *p == close) return p + 1;
        for (;;) {
            if (is_object) {
                if (p >= end || *p != '"' || !(p = conductor_json__valid_string(p, end))) return NULL;
                p = conductor_json__ws(p, end);
                if (p >= end || *p != ':') return NULL;
                p = conductor_json__ws(p + 1, end);
            }
            if (!(p = conductor_json__valid_value(p, end, depth + 1))) return NULL;
            p = conductor_json__ws(p, end);
            if (p >= end) return NULL;
            if (*p == close) return p + 1;
            if (*p != ',') return NULL;
            p = conductor_json__ws(p + 1, end);
        }
    }
    default: return conductor_json__valid_number(p, end);
    }
}

/**
 * 1 if json..json+len is exactly one JSON value (surrounded by optional
 * whitespace) with valid number syntax and string escapes, nested at most
 * CONDUCTOR_JSON_MAX_DEPTH deep; else 0. (UTF-8 validity is not checked.)
 */
static inline int conductor_json_valid(const char *json, size_t len) {
    const char *end = json + len, *p;
    if (!json) return 0;
    p = conductor_json__valid_value(conductor_json__ws(json, end), end, 0);
    return p && conductor_json__ws(p, end) == end;
}

/**
 * The element at `index` of the array value `array` (a value found with
 * conductor_json_find or conductor_param_raw). Returns 1 and fills *out, or 0
 * when `array` is not an array or is shorter. Read the element with
 * conductor_json_get_string/int/bool(out->ptr, out->len, "", …) — the empty
 * path means "this value".
 */
static inline int conductor_json_at(const conductor_json_value *array, size_t index, conductor_json_value *out) {
    const char *p, *end;
    if (!array || array->type != CONDUCTOR_JSON_ARRAY) return 0;
    p = array->ptr;
    end = array->ptr + array->len;
    p = conductor_json__ws(p + 1, end);
    if (p < end && *p == ']') return 0;
    for (size_t i = 0;; i++) {
        conductor_json_type t;
        const char *vs = p;
        p = conductor_json__skip_value(p, end, 1, &t);
        if (!p) return 0;
        if (i == index) {
            out->type = t;
            out->ptr = vs;
            out->len = (size_t)(p - vs);
            return 1;
        }
        p = conductor_json__ws(p, end);
        if (p >= end || *p != ',') return 0;
        p = conductor_json__ws(p + 1, end);
    }
}

/* Cut a NUL-terminated UTF-8 string of n bytes so it does not end in a partial character. */
static inline void conductor__utf8_trim(char *s, size_t n) {
    size_t start = n, need;
    unsigned char lead;
    while (start > 0 && n - start < 4 && ((unsigned char)s[start - 1] & 0xC0) == 0x80) start--;
    if (start == 0) return;
    start--; /* the last character's first byte */
    lead = (unsigned char)s[start];
    need = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    if (start + need > n) s[start] = '\0';
}

/* Decode the string value v into buf[size]; 0 ok, -1 malformed/not a string, -2 cut (at a character boundary). */
static inline int conductor__string_into(const conductor_json_value *v, char *buf, size_t size) {
    size_t n;
    if (v->type != CONDUCTOR_JSON_STRING) return -1;
    if (conductor_json__unescape(v->ptr, v->len, NULL, 0) == (size_t)-1) return -1;
    if (!buf || size == 0) return -2;
    n = conductor_json__unescape(v->ptr, v->len, buf, size);
    if (n >= size) {
        conductor__utf8_trim(buf, size - 1);
        return -2;
    }
    return 0;
}

/* The number value v as a double; 0 ok, -1 not a number. */
static inline int conductor__number(const conductor_json_value *v, double *out) {
    char small[64], *text = small;
    if (v->type != CONDUCTOR_JSON_NUMBER || conductor_json__valid_number(v->ptr, v->ptr + v->len) != v->ptr + v->len)
        return -1;
    if (v->len >= sizeof small && !(text = (char *)malloc(v->len + 1))) return -1;
    memcpy(text, v->ptr, v->len);
    text[v->len] = '\0';
    *out = strtod(text, NULL);
    if (text != small) free(text);
    return 0;
}

/* ---- the input --------------------------------------------------------- */

/** An integer that may be absent: `if (in->context.note.present) use(in->context.note.value);` */
typedef struct {
    bool present;
    int32_t value; /* 0 when absent */
} conductor_opt_int;

/**
 * The `context` member of the input: what triggered the call. Strings are ""
 * when absent; integers use `present` (a member of the wrong type, or an
 * integer outside int32, counts as absent). Other keys: conductor_context_raw().
 */
typedef struct {
    char trigger[CONDUCTOR_CONTEXT_STRING_MAX]; /* e.g. "Note", "CC", "cli" */
    char mode[CONDUCTOR_CONTEXT_STRING_MAX];    /* the active mode's name */
    char device[CONDUCTOR_CONTEXT_STRING_MAX];  /* the MIDI device's id; "" when absent */
    bool has_device;
    int64_t timestamp;                          /* epoch milliseconds; 0 when absent */
    conductor_opt_int channel, note, velocity, cc, value;
    conductor_json_value raw;                   /* the whole context object (type NONE when absent) */
} conductor_context;

/**
 * A parsed `execute` input. Valid during the handler call only: never keep
 * it (or pointers into json) after returning.
 */
typedef struct {
    char action[CONDUCTOR_ACTION_MAX]; /* "" when absent */
    conductor_context context;
    const char *json;                  /* the whole input JSON (not NUL-terminated) */
    size_t json_len;
} conductor_input;

/** The one function a plugin writes: return 0 for success, else an error code (see conductor_error). */
typedef int32_t (*conductor_handler)(const conductor_input *in);

static inline int conductor__top_member(const char *json, size_t len, const char *key, conductor_json_value *out) {
    const char *end = json + len, *p = conductor_json__ws(json, end);
    return conductor_json__member(p, end, key, strlen(key), out);
}

/* Integer value v into an opt_int (absent unless an integer within int32). */
static inline conductor_opt_int conductor__opt_int(const conductor_json_value *v) {
    conductor_opt_int r = {false, 0};
    int64_t n;
    if (v->type == CONDUCTOR_JSON_NUMBER && conductor_json_get_int(v->ptr, v->len, "", &n) == 0 && n >= INT32_MIN &&
        n <= INT32_MAX) {
        r.present = true;
        r.value = (int32_t)n;
    }
    return r;
}

/**
 * Parse an `execute` input (what CONDUCTOR_PLUGIN does before calling your
 * handler). Returns 1 on success; else 0 with the reason in why[why_size].
 * The input must be valid JSON, a top-level object; "action", if present and
 * not null, a string shorter than CONDUCTOR_ACTION_MAX; "context", if present
 * and not null, an object.
 */
static inline int conductor_input_parse(const char *json, size_t len, conductor_input *in, char *why,
                                        size_t why_size) {
    conductor_json_value v, ctx;
    int rc;
    memset(in, 0, sizeof *in);
    in->json = json;
    in->json_len = len;
    if (!json || len == 0) {
        snprintf(why, why_size, "the input is empty");
        return 0;
    }
    if (!conductor_json_valid(json, len)) {
        snprintf(why, why_size, "the input is not valid JSON (or nested deeper than %d)", CONDUCTOR_JSON_MAX_DEPTH);
        return 0;
    }
    if (*conductor_json__ws(json, json + len) != '{') {
        snprintf(why, why_size, "the input is not a JSON object");
        return 0;
    }
    if (conductor__top_member(json, len, "action", &v) && v.type != CONDUCTOR_JSON_NULL) {
        rc = conductor__string_into(&v, in->action, sizeof in->action);
        if (rc == -1) {
            snprintf(why, why_size, "\"action\" must be a string");
            return 0;
        }
        if (rc == -2) {
            in->action[0] = '\0';
            snprintf(why, why_size, "\"action\" is longer than %d bytes", CONDUCTOR_ACTION_MAX - 1);
            return 0;
        }
    }
    if (!conductor__top_member(json, len, "context", &ctx) || ctx.type == CONDUCTOR_JSON_NULL) return 1;
    if (ctx.type != CONDUCTOR_JSON_OBJECT) {
        snprintf(why, why_size, "\"context\" must be an object");
        return 0;
    }
    in->context.raw = ctx;
#define CONDUCTOR__CTX(key) conductor_json__member(ctx.ptr, ctx.ptr + ctx.len, key, strlen(key), &v)
    if (CONDUCTOR__CTX("trigger")) conductor__string_into(&v, in->context.trigger, sizeof in->context.trigger);
    if (CONDUCTOR__CTX("mode")) conductor__string_into(&v, in->context.mode, sizeof in->context.mode);
    if (CONDUCTOR__CTX("device") && conductor__string_into(&v, in->context.device, sizeof in->context.device) != -1)
        in->context.has_device = true;
    if (CONDUCTOR__CTX("timestamp") && v.type == CONDUCTOR_JSON_NUMBER) {
        int64_t ms;
        double d;
        if (conductor_json_get_int(v.ptr, v.len, "", &ms) == 0) in->context.timestamp = ms;
        else if (conductor__number(&v, &d) == 0 && d > -9.2e18 && d < 9.2e18) in->context.timestamp = (int64_t)d;
    }
    if (CONDUCTOR__CTX("channel")) in->context.channel = conductor__opt_int(&v);
    if (CONDUCTOR__CTX("note")) in->context.note = conductor__opt_int(&v);
    if (CONDUCTOR__CTX("velocity")) in->context.velocity = conductor__opt_int(&v);
    if (CONDUCTOR__CTX("cc")) in->context.cc = conductor__opt_int(&v);
    if (CONDUCTOR__CTX("value")) in->context.value = conductor__opt_int(&v);
#undef CONDUCTOR__CTX
    return 1;
}

/** Any member of the context by name (e.g. "pressure"): 1 and *out filled, or 0 when absent. */
static inline int conductor_context_raw(const conductor_input *in, const char *key, conductor_json_value *out) {
    const conductor_json_value *c = &in->context.raw;
    if (c->type != CONDUCTOR_JSON_OBJECT || !key) return 0;
    return conductor_json__member(c->ptr, c->ptr + c->len, key, strlen(key), out);
}

/* ---- params ------------------------------------------------------------ */

/** What a conductor_param_* getter found. The out value is ALWAYS usable: the param or the default. */
typedef enum {
    CONDUCTOR_PARAM_OK = 0,         /* found, of the right type: *out holds it */
    CONDUCTOR_PARAM_MISSING = 1,    /* absent or null: *out holds the default */
    CONDUCTOR_PARAM_WRONG_TYPE = 2, /* present but not that type (int: not an integer within int64): the default */
    CONDUCTOR_PARAM_TRUNCATED = 3   /* string only: longer than the buffer; it holds a prefix cut at a character boundary */
} conductor_param_status;

/**
 * The raw JSON value of the param `name` (a top-level member of the input
 * other than "action", "context" and "parameters"; names are matched
 * exactly, dots included). Returns 1 and fills *out (also for null), or 0.
 * out->ptr/len is the value's JSON text; walk objects with conductor_json_find
 * (out->ptr, out->len, "key", …) and arrays with conductor_json_at.
 */
static inline int conductor_param_raw(const conductor_input *in, const char *name, conductor_json_value *out) {
    if (!in || !name || !in->json || !strcmp(name, "action") || !strcmp(name, "context") || !strcmp(name, "parameters"))
        return 0;
    return conductor__top_member(in->json, in->json_len, name, out);
}

static inline conductor_param_status conductor__param(const conductor_input *in, const char *name,
                                                      conductor_json_value *v) {
    if (!conductor_param_raw(in, name, v) || v->type == CONDUCTOR_JSON_NULL) return CONDUCTOR_PARAM_MISSING;
    return CONDUCTOR_PARAM_OK;
}

/** A string param into buf[size] (NUL-terminated); `def` (may be NULL = "") when missing or not a string. */
static inline conductor_param_status conductor_param_string(const conductor_input *in, const char *name, char *buf,
                                                            size_t size, const char *def) {
    conductor_json_value v;
    conductor_param_status st = conductor__param(in, name, &v);
    if (st == CONDUCTOR_PARAM_OK) {
        int rc = conductor__string_into(&v, buf, size);
        if (rc == 0) return CONDUCTOR_PARAM_OK;
        if (rc == -2) return CONDUCTOR_PARAM_TRUNCATED;
        st = CONDUCTOR_PARAM_WRONG_TYPE;
    }
    if (buf && size > 0) {
        size_t n = def ? strlen(def) : 0;
        if (n >= size) n = size - 1;
        if (n) memcpy(buf, def, n);
        buf[n] = '\0';
        conductor__utf8_trim(buf, n);
    }
    return st;
}

/** An integer param (2.0 counts as 2; 2.5, 1e3 or out of int64 range is WRONG_TYPE); `def` otherwise. */
static inline conductor_param_status conductor_param_int(const conductor_input *in, const char *name, int64_t *out,
                                                         int64_t def) {
    conductor_json_value v;
    conductor_param_status st = conductor__param(in, name, &v);
    int64_t n;
    if (st == CONDUCTOR_PARAM_OK) {
        if (v.type == CONDUCTOR_JSON_NUMBER && conductor_json_get_int(v.ptr, v.len, "", &n) == 0) {
            *out = n;
            return st;
        }
        st = CONDUCTOR_PARAM_WRONG_TYPE;
    }
    *out = def;
    return st;
}

/** A number param (any JSON number) as a double; `def` otherwise. */
static inline conductor_param_status conductor_param_double(const conductor_input *in, const char *name, double *out,
                                                            double def) {
    conductor_json_value v;
    conductor_param_status st = conductor__param(in, name, &v);
    double d;
    if (st == CONDUCTOR_PARAM_OK) {
        if (conductor__number(&v, &d) == 0) {
            *out = d;
            return st;
        }
        st = CONDUCTOR_PARAM_WRONG_TYPE;
    }
    *out = def;
    return st;
}

/** A boolean param (true/false only; "yes" or 1 are WRONG_TYPE); `def` otherwise. */
static inline conductor_param_status conductor_param_bool(const conductor_input *in, const char *name, bool *out,
                                                          bool def) {
    conductor_json_value v;
    conductor_param_status st = conductor__param(in, name, &v);
    if (st == CONDUCTOR_PARAM_OK) {
        if (v.type == CONDUCTOR_JSON_TRUE || v.type == CONDUCTOR_JSON_FALSE) {
            *out = v.type == CONDUCTOR_JSON_TRUE;
            return st;
        }
        st = CONDUCTOR_PARAM_WRONG_TYPE;
    }
    *out = def;
    return st;
}

/* ---- the entry point --------------------------------------------------- */

/**
 * Parse the input, call the handler, flush stdout/stderr and return its code.
 * Unparseable input: logs "invalid input: <reason>" at error level and returns
 * CONDUCTOR_INVALID_INPUT (2) without calling the handler.
 */
static inline int32_t conductor_dispatch(const char *json, int32_t len, conductor_handler handler) {
    conductor_input in;
    char why[96];
    int32_t code;
    if (conductor_input_parse(json, len > 0 ? (size_t)len : 0, &in, why, sizeof why)) code = handler(&in);
    else code = conductor_error(CONDUCTOR_INVALID_INPUT, "invalid input: %s", why);
    conductor_flush();
    return code;
}

#ifdef CONDUCTOR_DEFAULT_ALLOC
#define CONDUCTOR__PLUGIN_ALLOC /* alloc/dealloc come from CONDUCTOR_DEFAULT_ALLOC */
#else
#define CONDUCTOR__PLUGIN_ALLOC                                                                    \
    CONDUCTOR_EXPORT(alloc) void *conductor_plugin_alloc(int32_t size);                            \
    CONDUCTOR_EXPORT(dealloc) void conductor_plugin_dealloc(void *ptr, int32_t size);              \
    void *conductor_plugin_alloc(int32_t size) {                                                   \
        return size < 0 ? NULL : malloc(size > 0 ? (size_t)size : 1u);                             \
    }                                                                                              \
    void conductor_plugin_dealloc(void *ptr, int32_t size) {                                       \
        (void)size;                                                                                \
        free(ptr);                                                                                 \
    }
#endif

/**
 * Define the plugin's exports, once, in one .c file, at file scope:
 *
 *   CONDUCTOR_PLUGIN(METADATA_JSON, my_handler);
 *
 *   init() -> i64   returns the metadata (a string literal or other storage
 *                   that lives forever) and makes stdout line-buffered;
 *   execute(p, n)   conductor_dispatch(p, n, my_handler);
 *   alloc/dealloc   malloc/free (unless CONDUCTOR_DEFAULT_ALLOC already
 *                   defines them).
 */
#define CONDUCTOR_PLUGIN(metadata_json, handler)                                                   \
    CONDUCTOR__PLUGIN_ALLOC                                                                        \
    CONDUCTOR_EXPORT(init) uint64_t conductor_plugin_init(void);                                   \
    CONDUCTOR_EXPORT(execute) int32_t conductor_plugin_execute(const char *input, int32_t len);    \
    uint64_t conductor_plugin_init(void) {                                                         \
        setvbuf(stdout, NULL, _IOLBF, 0);                                                          \
        return conductor_metadata(metadata_json);                                                  \
    }                                                                                              \
    int32_t conductor_plugin_execute(const char *input, int32_t len) {                             \
        return conductor_dispatch(input, len, handler);                                            \
    }                                                                                              \
    extern int conductor__plugin_defined /* the caller's ';' ends this declaration */

/* ---- MIDI helpers ------------------------------------------------------ */

/*
 * Channels are 0..15 (the context's `channel` uses the same numbering), notes,
 * velocities, controllers and values 0..127. Out-of-range arguments return
 * CONDUCTOR_E_INVALID without calling the host. Capability "midi".
 */
static inline int32_t conductor__midi3(int status, int channel, int d1, int d2) {
    if (channel < 0 || channel > 15 || d1 < 0 || d1 > 127 || d2 < 0 || d2 > 127) return CONDUCTOR_E_INVALID;
    return conductor_midi_send3((uint8_t)(status | channel), (uint8_t)d1, (uint8_t)d2);
}
/** Note On (9n kk vv). */
static inline int32_t conductor_note_on(int channel, int note, int velocity) { return conductor__midi3(0x90, channel, note, velocity); }
/** Note Off (8n kk 00). */
static inline int32_t conductor_note_off(int channel, int note) { return conductor__midi3(0x80, channel, note, 0); }
/** Control Change (Bn cc vv). */
static inline int32_t conductor_control_change(int channel, int cc, int value) { return conductor__midi3(0xB0, channel, cc, value); }

/* ---- building requests ------------------------------------------------- */

typedef struct {
    char *p;
    size_t len, cap;
    bool oom;
} conductor__sb;

static inline void conductor__sb_put(conductor__sb *b, const char *s, size_t n) {
    if (b->oom) return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        char *p;
        while (cap < b->len + n + 1) cap *= 2;
        if (!(p = (char *)realloc(b->p, cap))) {
            b->oom = true;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}
static inline void conductor__sb_str(conductor__sb *b, const char *s) { conductor__sb_put(b, s, strlen(s)); }

/* Append s as a JSON string (quoted, escaped; bytes >= 0x80 are passed through as UTF-8). */
static inline void conductor__sb_quote(conductor__sb *b, const char *s) {
    static const char hex[] = "0123456789abcdef";
    conductor__sb_put(b, "\"", 1);
    while (*s) {
        const char *run = s;
        while ((unsigned char)*s >= 0x20 && *s != '"' && *s != '\\') s++;
        conductor__sb_put(b, run, (size_t)(s - run));
        if (!*s) break;
        {
            unsigned char c = (unsigned char)*s++;
            char esc[6] = {'\\', (char)c, 0, 0, 0, 0};
            size_t n = 2;
            if (c == '\n') esc[1] = 'n';
            else if (c == '\r') esc[1] = 'r';
            else if (c == '\t') esc[1] = 't';
            else if (c < 0x20) {
                esc[1] = 'u'; esc[2] = '0'; esc[3] = '0'; esc[4] = hex[c >> 4]; esc[5] = hex[c & 15];
                n = 6;
            }
            conductor__sb_put(b, esc, n);
        }
    }
    conductor__sb_put(b, "\"", 1);
}

/* ---- reading responses (decoded in place, in the response buffer) ----- */

/* Decode the string token [tok, tok+len) in place; returns its start (NUL-terminated) and *n, or NULL. */
static inline char *conductor__decode_in_place(char *tok, size_t len, size_t *n) {
    size_t k = conductor_json__unescape(tok, len, NULL, 0);
    if (k == (size_t)-1) return NULL;
    conductor_json__unescape(tok, len, tok, k + 1); /* the decoded text is shorter: it never overtakes the reader */
    *n = k;
    return tok;
}

/*
 * Walk the top-level object of a host response in buf[0..len), calling
 * on_member for each member (key decoded, value still raw). Values may be
 * decoded in place by on_member. Returns 1, or 0 when malformed.
 */
typedef int (*conductor__member_fn)(void *res, const char *key, char *value, size_t value_len,
                                    conductor_json_type type);
static inline int conductor__walk(char *buf, size_t len, void *res, conductor__member_fn on_member) {
    const char *end = buf + len;
    char *p = (char *)conductor_json__ws(buf, end);
    if (p >= end || *p != '{') return 0;
    p = (char *)conductor_json__ws(p + 1, end);
    if (p < end && *p == '}') return 1;
    for (;;) {
        char key[32], *vs, *ve;
        const char *ke;
        conductor_json_type t;
        if (p >= end || *p != '"' || !(ke = conductor_json__skip_string(p, end))) return 0;
        if (conductor_json__unescape(p, (size_t)(ke - p), key, sizeof key) >= sizeof key) key[0] = '\0';
        p = (char *)conductor_json__ws(ke, end);
        if (p >= end || *p != ':') return 0;
        vs = (char *)conductor_json__ws(p + 1, end);
        if (!(ve = (char *)conductor_json__skip_value(vs, end, 1, &t))) return 0;
        if (!on_member(res, key, vs, (size_t)(ve - vs), t)) return 0;
        p = (char *)conductor_json__ws(ve, end);
        if (p < end && *p == '}') return 1;
        if (p >= end || *p != ',') return 0;
        p = (char *)conductor_json__ws(p + 1, end);
    }
}

/* A string member decoded in place (or NULL for null when allowed). Returns 1 ok, 0 wrong type. */
static inline int conductor__text(char *v, size_t len, conductor_json_type t, bool nullable, const char **out,
                                  size_t *out_len) {
    size_t n = 0;
    if (t == CONDUCTOR_JSON_NULL && nullable) {
        *out = NULL;
        if (out_len) *out_len = 0;
        return 1;
    }
    if (t != CONDUCTOR_JSON_STRING || !(*out = conductor__decode_in_place(v, len, &n))) return 0;
    if (out_len) *out_len = n;
    return 1;
}

static inline int conductor__status(const char *v, size_t len, conductor_json_type t, bool *has, int32_t *status) {
    int64_t n;
    *has = false;
    if (t == CONDUCTOR_JSON_NULL) return 1;
    if (t != CONDUCTOR_JSON_NUMBER || conductor_json_get_int(v, len, "", &n) != 0 || n < INT32_MIN || n > INT32_MAX)
        return 0;
    *has = true;
    *status = (int32_t)n;
    return 1;
}

/*
 * Call a buffer-writing host function (exec / http_request) with the
 * caller's buffer or a malloc'd one, retrying once with the needed size when
 * `retry` and the buffer is ours. Returns bytes written (>= 0) or a code;
 * *needed is set for CONDUCTOR_E_BUFFER_TOO_SMALL.
 */
typedef int32_t (*conductor__host_fn)(const char *req, int32_t req_len, char *out, int32_t out_cap);
static inline int32_t conductor__call(conductor__host_fn fn, const conductor__sb *req, char *buffer, size_t capacity,
                                      bool retry, char **buf_out, bool *owned, int32_t *needed) {
    size_t cap = capacity ? capacity : (buffer ? 0 : (size_t)CONDUCTOR_DEFAULT_CAPACITY);
    char *buf = buffer;
    int32_t r, need;
    *owned = !buffer;
    *buf_out = NULL;
    *needed = 0;
    if (cap > (size_t)INT32_MAX) cap = (size_t)INT32_MAX;
    if (!buffer && !(buf = (char *)malloc(cap ? cap : 1))) return CONDUCTOR_E_NO_MEMORY;
    r = fn(req->p, (int32_t)req->len, buf, (int32_t)cap);
    need = conductor_needed(r);
    if (need > 0 && retry && !buffer) {
        free(buf);
        if (!(buf = (char *)malloc((size_t)need))) return CONDUCTOR_E_NO_MEMORY;
        r = fn(req->p, (int32_t)req->len, buf, need);
        need = conductor_needed(r);
    }
    if (need > 0 || r < 0) {
        if (!buffer) free(buf);
        if (need > 0) {
            *needed = need;
            return CONDUCTOR_E_BUFFER_TOO_SMALL;
        }
        return r;
    }
    *buf_out = buf;
    return r;
}

/* ---- HTTP -------------------------------------------------------------- */

/** A header name/value pair (NUL-terminated strings). */
typedef struct {
    const char *name;
    const char *value;
} conductor_header;

/**
 * An HTTP request for conductor_http_send. Zero-initialise it and set what
 * you need (designated initialisers read best). Capability "network"; the
 * host must be in the plugin's allowed_hosts.
 */
typedef struct {
    const char *method;               /* "GET" (NULL or ""), "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS" */
    const char *url;                  /* absolute http: or https: URL */
    const conductor_header *headers;  /* header_count pairs (string values, no CR/LF, no Host) */
    size_t header_count;
    const char *body;                 /* NULL = no body (GET/HEAD take none); at most 1 MiB */
    char *buffer;                     /* response buffer; NULL = malloc'd by the SDK */
    size_t capacity;                  /* its size; 0 with buffer NULL = CONDUCTOR_DEFAULT_CAPACITY */
} conductor_http_req;

/**
 * The host's response, decoded. Strings are NUL-terminated and point into
 * the response buffer: they live until conductor_http_free (or until you
 * reuse your own buffer). Zeroed when conductor_http_send fails.
 */
typedef struct {
    bool has_status;     /* false when no response came back: then `error` says why */
    int32_t status;      /* the HTTP status (e.g. 200, 302, 404) when has_status */
    const char *body;    /* "" when empty; body_len bytes (may contain NUL only if the server sent U+0000) */
    size_t body_len;
    bool truncated;      /* the body was cut at 1 MiB */
    const char *error;   /* NULL, or why there is no response ("connect ECONNREFUSED …", "timed out …") */
    size_t header_count; /* headers: conductor_http_header(res, name) / conductor_http_header_at(res, i, …) */
    int32_t needed;      /* with CONDUCTOR_E_BUFFER_TOO_SMALL: the bytes needed */
    /* private */
    const char *headers_;
    char *buf_;
    bool owned_;
} conductor_http_res;

static inline int conductor__http_member(void *r, const char *key, char *v, size_t len, conductor_json_type t) {
    conductor_http_res *res = (conductor_http_res *)r;
    if (!strcmp(key, "status")) return conductor__status(v, len, t, &res->has_status, &res->status);
    if (!strcmp(key, "body")) return conductor__text(v, len, t, false, &res->body, &res->body_len);
    if (!strcmp(key, "error")) return conductor__text(v, len, t, true, &res->error, NULL);
    if (!strcmp(key, "truncated")) {
        res->truncated = t == CONDUCTOR_JSON_TRUE;
        return 1;
    }
    if (!strcmp(key, "headers")) {
        /* Pack "name\0value\0…" at the object's start: each pair is shorter decoded than encoded. */
        const char *end = v + len;
        char *w = v, *p;
        if (t != CONDUCTOR_JSON_OBJECT) return 0;
        res->headers_ = v;
        p = (char *)conductor_json__ws(v + 1, end);
        if (p < end && *p == '}') return 1;
        for (;;) {
            for (int part = 0; part < 2; part++) { /* the name, then the value: both strings */
                const char *e;
                char *s;
                size_t n;
                if (p >= end || *p != '"' || !(e = conductor_json__skip_string(p, end))) return 0;
                if (!(s = conductor__decode_in_place(p, (size_t)(e - p), &n))) return 0;
                memmove(w, s, n + 1);
                w += n + 1;
                p = (char *)conductor_json__ws(e, end);
                if (part == 0) {
                    if (p >= end || *p != ':') return 0;
                    p = (char *)conductor_json__ws(p + 1, end);
                }
            }
            res->header_count++;
            if (p < end && *p == '}') return 1;
            if (p >= end || *p != ',') return 0;
            p = (char *)conductor_json__ws(p + 1, end);
        }
    }
    return 1; /* unknown members are ignored */
}

static inline char conductor__lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c; }

/** The i-th response header (names are lower case). Returns 1, or 0 when i >= header_count. */
static inline int conductor_http_header_at(const conductor_http_res *res, size_t i, const char **name,
                                           const char **value) {
    const char *p = res->headers_;
    if (!p || i >= res->header_count) return 0;
    for (; i > 0; i--) {
        p += strlen(p) + 1;
        p += strlen(p) + 1;
    }
    if (name) *name = p;
    if (value) *value = p + strlen(p) + 1;
    return 1;
}

/** A response header's value by name (case-insensitive; repeated headers are joined with ", "), or NULL. */
static inline const char *conductor_http_header(const conductor_http_res *res, const char *name) {
    const char *n, *v;
    for (size_t i = 0; name && conductor_http_header_at(res, i, &n, &v); i++) {
        size_t k = 0;
        while (n[k] && conductor__lower(n[k]) == conductor__lower(name[k])) k++;
        if (!n[k] && !name[k]) return v;
    }
    return NULL;
}

/** Free the buffer conductor_http_send allocated (safe on a zeroed struct and twice); zeroes *res. */
static inline void conductor_http_free(conductor_http_res *res) {
    if (!res) return;
    if (res->owned_) free(res->buf_);
    memset(res, 0, sizeof *res);
}

static inline bool conductor__idempotent(const char *m) {
    static const char *const ok[] = {"GET", "HEAD", "OPTIONS"};
    for (size_t i = 0; i < 3; i++) {
        size_t k = 0;
        while (m[k] && ok[i][k] && conductor__lower(m[k]) == conductor__lower(ok[i][k])) k++;
        if (!m[k] && !ok[i][k]) return true;
    }
    return false;
}

/**
 * conductor.http_request with a typed request and response. Returns
 * CONDUCTOR_OK (0) when the host answered — check res->has_status and
 * res->error: a refused connection or a timeout is still OK here — or a code:
 * CONDUCTOR_E_INVALID / _TOO_LARGE / _DENIED / _LIMIT / _UNAVAILABLE (the host
 * logged why), CONDUCTOR_E_BUFFER_TOO_SMALL (res->needed bytes were needed;
 * with the SDK's own buffer a GET/HEAD/OPTIONS is retried ONCE with that size
 * first, other methods never, since the request was already sent), or
 * CONDUCTOR_E_NO_MEMORY. Always call conductor_http_free(res) afterwards.
 */
static inline int32_t conductor_http_send(const conductor_http_req *req, conductor_http_res *res) {
    conductor__sb b = {NULL, 0, 0, false};
    const char *method = req->method && *req->method ? req->method : "GET";
    int32_t r, needed;
    char *buf;
    bool owned;
    memset(res, 0, sizeof *res);
    if (!req->url) {
        conductor_log_warn("conductor_http_send: url is NULL");
        return CONDUCTOR_E_INVALID;
    }
    conductor__sb_str(&b, "{\"method\":");
    conductor__sb_quote(&b, method);
    conductor__sb_str(&b, ",\"url\":");
    conductor__sb_quote(&b, req->url);
    conductor__sb_str(&b, ",\"headers\":{");
    for (size_t i = 0; i < req->header_count; i++) {
        if (i) conductor__sb_put(&b, ",", 1);
        conductor__sb_quote(&b, req->headers[i].name ? req->headers[i].name : "");
        conductor__sb_put(&b, ":", 1);
        conductor__sb_quote(&b, req->headers[i].value ? req->headers[i].value : "");
    }
    conductor__sb_put(&b, "}", 1);
    if (req->body) {
        conductor__sb_str(&b, ",\"body\":");
        conductor__sb_quote(&b, req->body);
    }
    conductor__sb_put(&b, "}", 1);
    if (b.oom) {
        free(b.p);
        return CONDUCTOR_E_NO_MEMORY;
    }
    r = conductor__call(conductor_host_http_request, &b, req->buffer, req->capacity, conductor__idempotent(method),
                        &buf, &owned, &needed);
    free(b.p);
    if (r < 0) {
        res->needed = needed;
        return r;
    }
    res->buf_ = buf;
    res->owned_ = owned;
    if (!conductor__walk(buf, (size_t)r, res, conductor__http_member)) {
        conductor_http_free(res);
        conductor_log_error("conductor_http_send: could not read the host's response");
        return CONDUCTOR_E_BAD_RESPONSE;
    }
    if (!res->body) res->body = "";
    return CONDUCTOR_OK;
}

/** A GET of `url` with the default buffer: conductor_http_send with only the url set. */
static inline int32_t conductor_http_get(const char *url, conductor_http_res *res) {
    conductor_http_req req;
    memset(&req, 0, sizeof req);
    req.url = url;
    return conductor_http_send(&req, res);
}

/* ---- exec -------------------------------------------------------------- */

/**
 * A program to run with conductor_exec_run. Capability "subprocess". There is
 * NO shell: args reach the program literally.
 */
typedef struct {
    const char *program;          /* looked up on PATH, or a path */
    const char *const *args;      /* arg_count arguments (not including the program) */
    size_t arg_count;
    const char *stdin_text;       /* NULL = empty stdin */
    char *buffer;                 /* response buffer; NULL = malloc'd by the SDK */
    size_t capacity;              /* its size; 0 with buffer NULL = CONDUCTOR_DEFAULT_CAPACITY */
} conductor_exec_req;

/** The program's result, decoded (strings live in the response buffer, until conductor_exec_free). */
typedef struct {
    bool has_status;         /* false when it was killed or never started */
    int32_t status;          /* exit code when has_status */
    const char *signal;      /* e.g. "SIGKILL", or NULL */
    const char *stdout_text; /* "" when empty; stdout_len bytes */
    size_t stdout_len;
    const char *stderr_text;
    size_t stderr_len;
    bool truncated;          /* output passed the 1 MiB cap and the process was killed */
    const char *error;       /* NULL, or "program not found: …", "timed out …", … */
    int32_t needed;          /* with CONDUCTOR_E_BUFFER_TOO_SMALL: the bytes needed */
    /* private */
    char *buf_;
    bool owned_;
} conductor_exec_res;

static inline int conductor__exec_member(void *r, const char *key, char *v, size_t len, conductor_json_type t) {
    conductor_exec_res *res = (conductor_exec_res *)r;
    if (!strcmp(key, "status")) return conductor__status(v, len, t, &res->has_status, &res->status);
    if (!strcmp(key, "signal")) return conductor__text(v, len, t, true, &res->signal, NULL);
    if (!strcmp(key, "stdout")) return conductor__text(v, len, t, false, &res->stdout_text, &res->stdout_len);
    if (!strcmp(key, "stderr")) return conductor__text(v, len, t, false, &res->stderr_text, &res->stderr_len);
    if (!strcmp(key, "error")) return conductor__text(v, len, t, true, &res->error, NULL);
    if (!strcmp(key, "truncated")) res->truncated = t == CONDUCTOR_JSON_TRUE;
    return 1;
}

/** Free the buffer conductor_exec_run allocated (safe on a zeroed struct and twice); zeroes *res. */
static inline void conductor_exec_free(conductor_exec_res *res) {
    if (!res) return;
    if (res->owned_) free(res->buf_);
    memset(res, 0, sizeof *res);
}

/**
 * conductor.exec with a typed request and result. Returns CONDUCTOR_OK when
 * the host reports a result (check res->has_status/status and res->error), or
 * a code as for conductor_http_send. CONDUCTOR_E_BUFFER_TOO_SMALL is NEVER
 * retried: the program has already run; res->needed says what buffer a next
 * run would need. Always call conductor_exec_free(res) afterwards.
 */
static inline int32_t conductor_exec_run(const conductor_exec_req *req, conductor_exec_res *res) {
    conductor__sb b = {NULL, 0, 0, false};
    int32_t r, needed;
    char *buf;
    bool owned;
    memset(res, 0, sizeof *res);
    if (!req->program) {
        conductor_log_warn("conductor_exec_run: program is NULL");
        return CONDUCTOR_E_INVALID;
    }
    conductor__sb_str(&b, "{\"program\":");
    conductor__sb_quote(&b, req->program);
    conductor__sb_str(&b, ",\"args\":[");
    for (size_t i = 0; i < req->arg_count; i++) {
        if (i) conductor__sb_put(&b, ",", 1);
        conductor__sb_quote(&b, req->args[i] ? req->args[i] : "");
    }
    conductor__sb_put(&b, "]", 1);
    if (req->stdin_text) {
        conductor__sb_str(&b, ",\"stdin\":");
        conductor__sb_quote(&b, req->stdin_text);
    }
    conductor__sb_put(&b, "}", 1);
    if (b.oom) {
        free(b.p);
        return CONDUCTOR_E_NO_MEMORY;
    }
    r = conductor__call(conductor_host_exec, &b, req->buffer, req->capacity, false, &buf, &owned, &needed);
    free(b.p);
    if (r < 0) {
        res->needed = needed;
        return r;
    }
    res->buf_ = buf;
    res->owned_ = owned;
    if (!conductor__walk(buf, (size_t)r, res, conductor__exec_member)) {
        conductor_exec_free(res);
        conductor_log_error("conductor_exec_run: could not read the host's response");
        return CONDUCTOR_E_BAD_RESPONSE;
    }
    if (!res->stdout_text) res->stdout_text = "";
    if (!res->stderr_text) res->stderr_text = "";
    return CONDUCTOR_OK;
}

#ifdef __cplusplus
}
#endif

#endif /* CONDUCTOR_PLUGIN_H */
