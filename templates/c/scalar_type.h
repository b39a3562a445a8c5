{{ docs }}typedef {{ base }} {{ name }}; /* {{ keyword }} */
{%- for m in members %}
{{ m.docs }}#define {{ m.name }} {{ m.value }}
{%- endfor %}
{%- if let Some(function) = name_function %}

/** The name of a member of `{{ name }}`, or NULL for a value that is not a member. */
static inline const char *{{ function }}({{ name }} value) {
    switch (value) {
{%- for (constant, member) in self.member_names() %}
    case {{ constant }}:
        return "{{ member }}";
{%- endfor %}
    default:
        return NULL;
    }
}
{%- endif %}
