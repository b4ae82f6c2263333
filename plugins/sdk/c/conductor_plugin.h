/*
 * conductor_plugin.h — single-header C SDK for Conductor plugins (plugin ABI v1).
 *
 * Target: wasm32-wasi, built as a WASI *reactor*:
 *
 *   clang --target=wasm32-wasi -O2 -mexec-model=reactor -Wl,--stack-first \
 *         -Wl,--strip-debug -o my_plugin.wasm my_plugin.c
 *
 * What this header gives you (see README.md beside it for a walk-through):
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

#ifdef __cplusplus
}
#endif

#endif /* CONDUCTOR_PLUGIN_H */
