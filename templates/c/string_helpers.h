{%- if is_string %}
/**
 * Sets `s` to the first `length` bytes of `text` (UTF-8). When they do not fit in {{ capacity }} bytes,
 * the string is cut at the last whole UTF-8 character that fits. Returns the number of bytes of
 * `text` left out: 0 when it all fit. Zeroes every byte it does not set. `text` must not point
 * into `s`.
 */
static inline size_t {{ name }}_set_n({{ name }} *s, const char *text, size_t length) {
    size_t kept = length < {{ capacity }}u ? length : {{ capacity }}u;
    if (kept < length) {
        while (kept > 0u && ((unsigned char)text[kept] & 0xC0u) == 0x80u) {
            kept--;
        }
    }
    memset(s, 0, sizeof *s);
    if (kept > 0u) {
        memcpy(s->data, text, kept);
    }
    s->len = (uint32_t)kept;
    return length - kept;
}

/** Sets `s` from the NUL-terminated `text`, as {{ name }}_set_n does. */
static inline size_t {{ name }}_set({{ name }} *s, const char *text) {
    return {{ name }}_set_n(s, text, strlen(text));
}

/** The length in bytes (at most {{ capacity }}). */
static inline size_t {{ name }}_len(const {{ name }} *s) {
    return s->len < {{ capacity }}u ? (size_t)s->len : {{ capacity }}u;
}

/** The bytes of the string, {{ name }}_len of them, not NUL-terminated. */
static inline const char *{{ name }}_data(const {{ name }} *s) {
    return (const char *)s->data;
}
{%- else %}
/**
 * Sets `b` to the first `length` bytes at `data`, at most {{ capacity }}. Returns the number of bytes
 * left out: 0 when they all fit. Zeroes every byte it does not set. `data` must not point
 * into `b`.
 */
static inline size_t {{ name }}_set({{ name }} *b, const void *data, size_t length) {
    size_t kept = length < {{ capacity }}u ? length : {{ capacity }}u;
    memset(b, 0, sizeof *b);
    if (kept > 0u) {
        memcpy(b->data, data, kept);
    }
    b->len = (uint32_t)kept;
    return length - kept;
}

/** The length in bytes (at most {{ capacity }}). */
static inline size_t {{ name }}_len(const {{ name }} *b) {
    return b->len < {{ capacity }}u ? (size_t)b->len : {{ capacity }}u;
}

/** The bytes, {{ name }}_len of them. */
static inline const uint8_t *{{ name }}_data(const {{ name }} *b) {
    return b->data;
}
{%- endif %}
