{%- if let Some(decorator) = decorator %}
{{ decorator }}
{%- endif %}
class {{ name }}({{ base }}):
{{ docstring }}
{% for line in attributes %}
    {{ line }}
{%- endfor %}
    _fields_ = [
{%- for f in fields %}
{{ f.comments }}        ("{{ f.name }}", {{ f.ctype }}),
{%- endfor %}
    ]
{%- if !converters.is_empty() %}
    _interop_fields_ = (
{%- for f in converters %}
        ("{{ f.name }}", {{ f.conv }}),
{%- endfor %}
    )
{% for f in converters %}
    {{ f.name }}: {{ f.hint }}
{%- endfor %}
{%- endif %}


{{ assertion }}
