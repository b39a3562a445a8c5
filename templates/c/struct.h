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
{% for a in asserts %}
INTEROP_STATIC_ASSERT({{ a.condition }}, "{{ a.message }}");
{%- endfor %}
{%- if !helpers.is_empty() %}
{{ helpers }}
{%- endif %}
