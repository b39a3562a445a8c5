{{ decorator }}
class {{ name }}(_Union):
{{ docstring }}

    class Tag(enum.IntEnum):
        """The tag of each variant of {{ name }}."""
{% for v in variants %}
{{ v.comments }}        {{ v.member }} = {{ v.tag }}
{%- endfor %}

    class Payload(_CUnion):
        """The payload area of {{ name }}: every variant's value starts at its first byte."""

        _fields_ = [
{%- for v in variants %}
{%- if let Some(ctype) = v.ctype %}
            ("{{ v.field }}", {{ ctype }}),
{%- endif %}
{%- endfor %}
            ("_raw", ctypes.c_uint8 * {{ payload_size }}),
        ]

    _fields_ = [
{%- for f in fields %}
        ("{{ f.name }}", {{ f.ctype }}),
{%- endfor %}
    ]
    _interop_fields_ = (("tag", _Enum(Tag)),)
    _interop_variants_ = (
{%- for v in variants %}
        ({{ v.tag }}, "{{ v.idl }}", "{{ v.field }}", {{ v.conv }}),
{%- endfor %}
    )

    tag: Tag
    payload: Payload


{{ payload_assertion }}
{{ assertion }}
