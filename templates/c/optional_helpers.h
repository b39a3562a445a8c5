
/** Sets the value{% if value_is_array %} to the array `value` points to{% endif %}, present. */
static inline void {{ name }}_set({{ name }} *o, {{ value_param }}) {
{%- if value_is_array %}
    memset(o, 0, sizeof *o);
    memcpy(&o->value, value, sizeof o->value);
{%- else %}
    memset(o, 0, sizeof *o);
    o->value = value;
{%- endif %}
    o->present = true;
}

/** Makes the value absent and zeroes its bytes. */
static inline void {{ name }}_clear({{ name }} *o) {
    memset(o, 0, sizeof *o);
}

/** The value, or NULL when it is absent. */
static inline {{ get_signature }} {
    return o->present ? &o->value : NULL;
}
