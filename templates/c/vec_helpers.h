
/** The number of items (at most {{ capacity }}). */
static inline size_t {{ name }}_len(const {{ name }} *v) {
    return v->len < {{ capacity }}u ? (size_t)v->len : {{ capacity }}u;
}

/**
 * Appends {% if item_is_array %}the array `item` points to{% else %}`item`{% endif %}. Returns false, changing nothing, when all {{ capacity }} places are taken.
 */
static inline bool {{ name }}_push({{ name }} *v, {{ item_param }}) {
    if (v->len >= {{ capacity }}u) {
        return false;
    }
{%- if item_is_array %}
    memcpy(&v->items[v->len], item, sizeof v->items[0]);
{%- else %}
    v->items[v->len] = item;
{%- endif %}
    v->len++;
    return true;
}

/** Removes every item and zeroes their bytes. */
static inline void {{ name }}_clear({{ name }} *v) {
    memset(v, 0, sizeof *v);
}
