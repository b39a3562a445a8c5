class {{ name }}:
{{ docstring }}

    qualified_name = "{{ qualified_name }}"
{%- for m in methods %}
{{ m.comments }}    {{ m.name }} = _Method(
{%- for arg in m.args %}
        {{ arg }},
{%- endfor %}
    )
{%- endfor %}
    methods = {{ methods_tuple }}
