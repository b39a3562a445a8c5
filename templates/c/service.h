/* ---- service {{ name }} ---- */
{{ docs }}#define {{ name_macro.name }} {{ name_macro.value }}
{%- for m in methods %}

{{ m.docs }}#define {{ m.id.name }} {{ m.id.value }}
#define {{ m.fingerprint.name }} {{ m.fingerprint.value }}

/** The 32 bytes of the fingerprint of the method above ({{ m.fingerprint.name }}). */
static inline const uint8_t *{{ m.fingerprint_function }}(void) {
    static const uint8_t fingerprint[32] = {
{%- for row in m.fingerprint_rows %}
        {{ row }}
{%- endfor %}
    };
    return fingerprint;
}
{%- endfor %}
