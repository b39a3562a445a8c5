{{ decorator }}
class {{ name }}(enum.{{ base }}):
{{ docstring }}
{%- if !members.is_empty() %}
{% for m in members %}
{{ m.comments }}    {{ m.name }} = {{ m.value }}
{%- endfor %}
{%- endif %}
