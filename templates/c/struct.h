{{ docs }}typedef struct {{ name }} {
{%- for m in members %}
{%- if m.union_members.is_empty() %}
{{ m.docs }}    {{ m.decl }};
{%- else %}
{{ m.docs }}    union {
{%- for u in m.union_members %}
{{ u.docs }}        {{ u.decl }};
{%- endfor %}
    } {{ m.decl }};
{%- endif %}
{%- endfor %}
} {{ name }};
{%- if !defines.is_empty() %}
{% for d in defines %}
{{ d.docs }}#define {{ d.name }} {{ d.value }}
{%- endfor %}
{%- endif %}

INTEROP_STATIC_ASSERT(sizeof({{ name }}) == {{ size }}, "{{ name }}: size");
INTEROP_STATIC_ASSERT(INTEROP_ALIGNOF({{ name }}) == {{ align }}, "{{ name }}: alignment");
{%- for m in members %}
INTEROP_STATIC_ASSERT(offsetof({{ name }}, {{ m.name }}) == {{ m.offset }}, "{{ name }}.{{ m.name }}: offset");
{%- endfor %}
{%- if let Some(payload_size) = payload_size %}
INTEROP_STATIC_ASSERT(sizeof(((const {{ name }} *)0)->payload) == {{ payload_size }}, "{{ name }}.payload: size");
{%- endif %}
{%- if let Some(helpers) = helpers %}
{{ helpers }}
{%- endif %}
