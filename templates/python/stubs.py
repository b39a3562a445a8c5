class {{ client }}:
    """A client of {{ qualified_name }}: one method per rpc and one-way method,
    ``loan_<method>`` to fill a request in place, ``subscribe_<event>`` and ``events()`` for
    events.

    Rpc methods take the request's fields as keyword arguments (or a ready request struct) and
    return a view of the reply (of its single result, where the method declares one), which is
    valid until the next call on this client: ``copy()`` or ``to_dict()`` keep it longer. Errors
    are exceptions of the ``interop`` package (``interop.RemoteError`` with the IDL error value
    in ``value``). Use a client from one thread at a time."""

    __slots__ = ("client", "_rpc", "_oneway")

    def __init__(self, client: _typing.Any) -> None:
        """Wraps ``client``, an ``interop.Client`` of {{ service }}."""
        self.client = client
        self._rpc = client.rpc
        self._oneway = client.oneway

    @classmethod
    def {{ connect }}(cls, url: str, timeout: float = 5.0) -> {{ client }}:
        """Connects to the service at ``url`` (``shm://NAME``, ``pipe://NAME``,
        ``tcp://HOST:PORT``, ``inproc://NAME``); calls wait up to ``timeout`` seconds."""
        return cls(_runtime().Client.connect(url, {{ service }}, timeout))

    @classmethod
    def {{ from_node }}(cls, node: _typing.Any) -> {{ client }}:
        """Connects as ``node`` (an ``interop.Node``) over the link of its manifest."""
        return cls(node.connect({{ service }}))

    def {{ close }}(self) -> None:
        """Closes the connection (once no reply or event view of it is left)."""
        self.client.close()

    def __enter__(self) -> {{ client }}:
        return self

    def __exit__(self, *exc: object) -> None:
        self.client.close()

    def {{ set_timeout }}(self, timeout: float) -> None:
        """How long calls wait for their reply from now on, in seconds (0: never wait)."""
        self.client.set_timeout(timeout)

    def {{ events }}(self, timeout: float | None = None) -> _typing.Iterator[_typing.Any]:
        """The events subscribed to, as they come (``event.name``, ``event.value``, a view valid
        until the next call); the iteration ends when none came within ``timeout`` seconds."""
        return self.client.events(timeout)

    def {{ next_event }}(self, timeout: float | None = None) -> _typing.Any:
        """The next event subscribed to, or None when none came within ``timeout`` seconds."""
        return self.client.next_event(timeout)
{%- for m in methods %}
{%- if m.kind == "rpc" %}
{%- if let Some(request) = m.request %}

    def {{ m.client_name }}(self, request: {{ request }} | None = None, /, **fields: _typing.Any) -> {{ m.returns }}:
{{ m.docstring }}
        return self._rpc({{ m.index }}, request, fields)

    def {{ m.loan_name }}(self) -> _typing.Any:
        """Loans the request of {{ m.name }} to fill in place (a context manager); its
        ``send()`` returns what {{ m.client_name }} does."""
        return self.client.loan({{ m.index }})
{%- else %}

    def {{ m.client_name }}(self) -> {{ m.returns }}:
{{ m.docstring }}
        return self._rpc({{ m.index }})
{%- endif %}
{%- else if m.kind == "oneway" %}
{%- if let Some(request) = m.request %}

    def {{ m.client_name }}(self, request: {{ request }} | None = None, /, **fields: _typing.Any) -> None:
{{ m.docstring }}
        self._oneway({{ m.index }}, request, fields)

    def {{ m.loan_name }}(self) -> _typing.Any:
        """Loans the message of {{ m.name }} to fill in place (a context manager); ``send()``
        sends it."""
        return self.client.loan({{ m.index }})
{%- else %}

    def {{ m.client_name }}(self) -> None:
{{ m.docstring }}
        self._oneway({{ m.index }})
{%- endif %}
{%- else %}

    def {{ m.client_name }}(self) -> None:
        """Starts delivering the event {{ m.name }} to this client."""
        self.client.subscribe({{ m.index }})

    def {{ m.loan_name }}(self) -> None:
        """Stops delivering the event {{ m.name }} to this client."""
        self.client.unsubscribe({{ m.index }})
{%- endif %}
{%- endfor %}


class {{ handler }}:
    """Serves {{ qualified_name }}: subclass it, override the methods you handle, and
    serve an instance with ``interop.Server.serve`` or ``interop.Node.serve``.

    An rpc handler gets views of the request and of the zeroed reply (each only when the
    method has one), and writes the reply in place (or returns the single result, or a dict of
    the named results); ``raise
    interop.RemoteError(value)`` answers with the IDL error; any other exception is logged and
    the caller gets a failure. A method left alone fails its calls."""

    _interop_base_ = True
    _interop_service_ = {{ service }}
{%- for m in methods %}
{%- if m.kind == "rpc" %}

    def {{ m.handler_name }}({{ m.handler_params }}) -> _typing.Any:
{{ m.docstring }}
        raise NotImplementedError("{{ m.qualified_name }}")
{%- else if m.kind == "oneway" %}

    def {{ m.handler_name }}({{ m.handler_params }}) -> None:
{{ m.docstring }}
        raise NotImplementedError("{{ m.qualified_name }}")
{%- endif %}
{%- endfor %}


class {{ publisher }}:
    """Publishes the events of {{ qualified_name }} to subscribed clients, from any
    thread: ``{{ publisher }}(server)`` with the ``interop.Server`` or ``interop.Node`` serving
    it."""

    __slots__ = ("publisher",)

    def __init__(self, server: _typing.Any) -> None:
        """A publisher on ``server`` (an ``interop.Server`` or ``interop.Node``)."""
        self.publisher = _runtime().Publisher(getattr(server, "server", server), {{ service }})
{%- for m in methods %}
{%- if m.kind == "event" %}
{%- if let Some(request) = m.request %}

    def {{ m.publish_name }}(self, event: {{ request }} | None = None, /, **fields: _typing.Any) -> None:
{{ m.docstring }}
        self.publisher.publish_at({{ m.index }}, {{ request }}, event, fields)
{%- else %}

    def {{ m.publish_name }}(self) -> None:
{{ m.docstring }}
        self.publisher.publish_at({{ m.index }}, None, None, {})
{%- endif %}
{%- endif %}
{%- endfor %}
