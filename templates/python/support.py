# ---------------------------------------------------------------------------------------------
# Support code, the same in every module this generator writes. Everything here is private to
# the module (its names start with "_"); the generated classes below build on it.
# ---------------------------------------------------------------------------------------------

if _sys.byteorder == "little":
    _c_bool = ctypes.c_bool
    _CUnion = ctypes.Union
else:  # pragma: no cover (big-endian hosts)
    # ctypes cannot byte-swap c_bool before Python 3.12; one byte needs no swapping anyway.
    _c_bool = ctypes.c_uint8
    try:
        _CUnion = ctypes.LittleEndianUnion
    except AttributeError:
        raise ImportError("interop modules need Python 3.11 or later on a big-endian host") from None


_T = _typing.TypeVar("_T")


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _copy(target: ctypes._CData, source: ctypes._CData) -> None:
    ctypes.memmove(ctypes.addressof(target), ctypes.addressof(source), ctypes.sizeof(target))


def _setattr(self: ctypes._CData, name: str, value: _typing.Any) -> None:
    """Refuses attributes that are not fields, which ctypes would silently keep on the side."""
    cls = type(self)
    fields = cls.__dict__.get("_interop_names_")
    if fields is None:
        fields = frozenset(field[0] for field in cls._fields_)
        cls._interop_names_ = fields
    if name not in fields:
        # An IDL name that was escaped (`type` for `type_`) and that Python still allows here.
        python_name = getattr(cls, "_interop_attributes_", {}).get(name)
        if python_name is None:
            raise AttributeError(f"{cls.__name__} has no field {name!r}")
        name = python_name
    object.__setattr__(self, name, value)


def _getattr(self: ctypes._CData, name: str) -> _typing.Any:
    """Reads a field by its IDL name where it was escaped (`v.type` for `v.type_`)."""
    python_name = getattr(type(self), "_interop_attributes_", {}).get(name)
    if python_name is None or python_name == name:
        raise AttributeError(f"{type(self).__name__} has no field {name!r}")
    return getattr(self, python_name)


def _detached(self: _typing.Any) -> _typing.Any:
    """A copy in memory of its own: a view of a reply or event stays valid only until the next
    call on its client, a copy for as long as it is kept."""
    return type(self).from_buffer_copy(self)


def _zero(target: ctypes._CData) -> None:
    ctypes.memset(ctypes.addressof(target), 0, ctypes.sizeof(target))


class _Scalar:
    """How a scalar is read, written (with a range check), shown and converted."""

    simple = True
    plain = True  # reading needs no conversion

    def __init__(self, name: str, low: int | None = None, high: int | None = None) -> None:
        self.name = name
        self.low = low
        self.high = high

    def get(self, raw: _typing.Any) -> _typing.Any:
        return raw

    def dump(self, raw: _typing.Any) -> _typing.Any:
        return raw

    def show(self, raw: _typing.Any) -> str:
        return repr(raw)

    def raw(self, value: _typing.Any) -> _typing.Any:
        if self.low is None:
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return float(value)
            raise TypeError(f"{self.name} takes a number, not {type(value).__name__}")
        if not _is_int(value):
            raise TypeError(f"{self.name} takes an int, not {type(value).__name__}")
        if not self.low <= value <= self.high:
            raise ValueError(f"{value} does not fit in {self.name} ({self.low} to {self.high})")
        return int(value)


class _BoolScalar(_Scalar):
    plain = _c_bool is ctypes.c_bool

    def get(self, raw: _typing.Any) -> bool:
        return bool(raw)

    dump = get

    def show(self, raw: _typing.Any) -> str:
        return repr(bool(raw))

    def raw(self, value: _typing.Any) -> bool:
        if isinstance(value, bool) or (_is_int(value) and value in (0, 1)):
            return bool(value)
        raise TypeError(f"bool takes True or False, not {value!r}")


_BOOL = _BoolScalar("bool")
_U8 = _Scalar("u8", 0, 0xFF)
_U16 = _Scalar("u16", 0, 0xFFFF)
_U32 = _Scalar("u32", 0, 0xFFFF_FFFF)
_U64 = _Scalar("u64", 0, 0xFFFF_FFFF_FFFF_FFFF)
_I8 = _Scalar("i8", -0x80, 0x7F)
_I16 = _Scalar("i16", -0x8000, 0x7FFF)
_I32 = _Scalar("i32", -0x8000_0000, 0x7FFF_FFFF)
_I64 = _Scalar("i64", -0x8000_0000_0000_0000, 0x7FFF_FFFF_FFFF_FFFF)
_F32 = _Scalar("f32")
_F64 = _Scalar("f64")


def _idl_name(member: enum.Enum) -> str:
    return getattr(type(member), "_idl_names_", {}).get(member.name, member.name)


def _member_named(cls: type, name: str) -> _typing.Any:
    member = cls.__members__.get(name)
    if member is None:
        for python_name, idl_name in getattr(cls, "_idl_names_", {}).items():
            if idl_name == name:
                member = cls.__members__[python_name]
    if member is None:
        raise ValueError(f"{cls.__name__} has no member {name!r}")
    return member


class _Enum:
    """An enum field: stored as its integer, read as a member (or the bare int when unknown)."""

    simple = True
    plain = False

    def __init__(self, cls: type) -> None:
        self.cls = cls
        self.by_value = {int(member): member for member in cls.__members__.values()}

    def get(self, raw: int) -> _typing.Any:
        return self.by_value.get(raw, raw)

    def dump(self, raw: int) -> _typing.Any:
        member = self.get(raw)
        return _idl_name(member) if isinstance(member, self.cls) else raw

    def show(self, raw: int) -> str:
        member = self.get(raw)
        return f"{self.cls.__name__}.{member.name}" if isinstance(member, self.cls) else repr(raw)

    def raw(self, value: _typing.Any) -> int:
        if isinstance(value, str):
            return int(_member_named(self.cls, value))
        if not _is_int(value):
            raise TypeError(f"{self.cls.__name__} takes a member, its name or its value, not {value!r}")
        if int(value) not in self.by_value:
            raise ValueError(f"{value!r} is not a value of {self.cls.__name__}")
        return int(value)


class _Flags(_Enum):
    """A flags field: stored as its integer, read as an IntFlag, dumped as a list of names."""

    def __init__(self, cls: type) -> None:
        super().__init__(cls)
        self.members = [member for member in cls.__members__.values()]
        self.mask = 0
        for member in self.members:
            self.mask |= int(member)

    def get(self, raw: int) -> _typing.Any:
        member = self.by_value.get(raw)
        if member is not None:
            return member
        try:
            return self.cls(raw)
        except ValueError:
            return raw

    def dump(self, raw: int) -> list:
        names: list = [_idl_name(m) for m in self.members if raw & int(m) == int(m)]
        if raw & ~self.mask:
            names.append(raw & ~self.mask)
        return names

    def show(self, raw: int) -> str:
        name = self.cls.__name__
        parts = [f"{name}.{m.name}" for m in self.members if raw & int(m) == int(m)]
        if raw & ~self.mask:
            parts.append(hex(raw & ~self.mask))
        return "|".join(parts) or f"{name}(0)"

    def raw(self, value: _typing.Any) -> int:
        if isinstance(value, str):
            value = [part.strip() for part in value.split("|") if part.strip()]
        if _is_int(value):
            bits = int(value)
        elif isinstance(value, (list, tuple, set, frozenset)):
            bits = 0
            for item in value:
                bits |= int(_member_named(self.cls, item)) if isinstance(item, str) else int(item)
        else:
            raise TypeError(f"{self.cls.__name__} takes flags, names or an int, not {value!r}")
        if bits < 0 or bits & ~self.mask:
            raise ValueError(f"{value!r} has bits that are not flags of {self.cls.__name__}")
        return bits


class _Nested:
    """A struct, union or inline container held by value: read as a view into the buffer."""

    simple = False
    plain = True

    def __init__(self, cls: type) -> None:
        self.cls = cls

    def get(self, view: _typing.Any) -> _typing.Any:
        return view

    def dump(self, view: _typing.Any) -> _typing.Any:
        return view._interop_dump()

    def show(self, view: _typing.Any) -> str:
        return repr(view)

    def fill(self, view: _typing.Any, value: _typing.Any) -> None:
        view._interop_load(value)


class _Array:
    """[T; N]: a ctypes array; written from any sequence of exactly N values."""

    simple = False
    plain = True

    def __init__(self, item: _typing.Any, length: int) -> None:
        self.item = item
        self.length = length

    def get(self, view: _typing.Any) -> _typing.Any:
        return view

    def dump(self, view: _typing.Any) -> list:
        return [self.item.dump(element) for element in view]

    def show(self, view: _typing.Any) -> str:
        return "[" + ", ".join(self.item.show(element) for element in view) + "]"

    def fill(self, view: _typing.Any, value: _typing.Any) -> None:
        if type(value) is type(view):
            _copy(view, value)
            return
        if isinstance(value, (str, dict)) or not hasattr(value, "__len__"):
            raise TypeError(f"an array of {self.length} takes a sequence, not {type(value).__name__}")
        if len(value) != self.length:
            raise ValueError(f"an array of {self.length} takes exactly {self.length} items, not {len(value)}")
        item = self.item
        for index, element in enumerate(value):
            if item.simple:
                view[index] = item.raw(element)
            else:
                item.fill(view[index], element)


class _Field(property):
    """A field of a generated struct or union: ctypes stores it, this converts it. Reads give
    enum members, bools and views; writes take plain Python values, checked. `offset` and
    `size` are those of the ctypes field."""

    def __init__(self, raw: _typing.Any, conv: _typing.Any, name: str) -> None:
        def checked_write(obj: _typing.Any, value: _typing.Any) -> None:
            try:
                if conv.simple:
                    raw.__set__(obj, conv.raw(value))
                else:
                    conv.fill(raw.__get__(obj), value)
            except (TypeError, ValueError) as error:
                raise type(error)(f"{name}: {error}") from None

        write = checked_write
        if type(conv) is _Scalar and conv.low is not None:
            # Integers, the common case, skip the general path when plainly in range.
            low, high, store = conv.low, conv.high, raw.__set__

            def write(obj: _typing.Any, value: _typing.Any) -> None:
                if type(value) is int and low <= value <= high:
                    store(obj, value)
                else:
                    checked_write(obj, value)

        if conv.plain:
            read = raw.__get__  # ctypes' own reader, no Python call on the way
        else:
            get = conv.get

            def read(obj: _typing.Any) -> _typing.Any:
                return get(raw.__get__(obj))

        super().__init__(read, write, None, f"The field {name} (offset {raw.offset}, {raw.size} bytes).")
        self.offset: int = raw.offset
        self.size: int = raw.size
        self.name = name

    def __repr__(self) -> str:
        return f"<field {self.name} offset={self.offset} size={self.size}>"


def _type(
    qualified_name: str, index: int, fingerprint: str, names: dict | None = None
) -> _typing.Callable[[_T], _T]:
    """Records a declared type's (or message's) qualified name, validation descriptor record and
    fingerprint, and installs the converting fields of structs and unions."""

    def finish(cls: _T) -> _T:
        cls._qualified_name_ = qualified_name
        cls._descriptor_index_ = index
        cls._fingerprint_ = bytes.fromhex(fingerprint)
        cls._idl_names_ = names or {}
        if issubclass(cls, (_Struct, _Union)):
            spec = []
            attributes = {}
            for python_name, conv in cls._interop_fields_:
                raw = cls.__dict__[python_name]
                idl_name = cls._idl_names_.get(python_name, python_name)
                setattr(cls, python_name, _Field(raw, conv, f"{cls.__name__}.{python_name}"))
                spec.append((python_name, idl_name, conv, raw))
                attributes[idl_name] = attributes[python_name] = python_name
            cls._interop_spec_ = tuple(spec)
            cls._interop_attributes_ = attributes
        if issubclass(cls, _Union):
            cls._interop_by_tag_ = {int(variant[0]): variant for variant in cls._interop_variants_}
            cls._interop_by_name_ = {}
            for variant in cls._interop_variants_:
                cls._interop_by_name_[variant[1]] = cls._interop_by_name_[variant[2]] = variant
            cls.Tag._idl_names_ = {cls.Tag(variant[0]).name: variant[1] for variant in cls._interop_variants_}
        return cls

    return finish


def _assert_layout(cls: type, size: int, offsets: dict) -> None:
    """Checks the layout ctypes computed against the one of the schema (sizes and offsets from
    the checked model). A difference is a bug of the generator or of ctypes, never of a user."""
    where = f"{__name__}.{cls.__qualname__}"
    if ctypes.sizeof(cls) != size:
        raise AssertionError(f"{where} is {ctypes.sizeof(cls)} bytes in ctypes, the schema says {size}")
    names = [field[0] for field in cls._fields_]
    if names != list(offsets):
        raise AssertionError(f"{where} has the fields {names}, the schema says {list(offsets)}")
    for name, offset in offsets.items():
        actual = getattr(cls, name).offset
        if actual != offset:
            raise AssertionError(f"{where}.{name} is at offset {actual} in ctypes, the schema says {offset}")


class _Struct(ctypes.LittleEndianStructure):
    """Base of the generated structs and messages: keyword construction, to_dict/from_dict,
    a readable repr and equality by value."""

    __setattr__ = _setattr
    __getattr__ = _getattr
    copy = _detached

    _interop_fields_: tuple = ()
    _interop_spec_: tuple = ()
    _interop_attributes_: dict = {}

    def __init__(self, /, **fields: _typing.Any) -> None:
        # `self` is positional-only, so that a field named `self` can be passed by keyword.
        super().__init__()
        for name, value in fields.items():
            setattr(self, self._interop_attribute(name), value)

    @classmethod
    def _interop_attribute(cls, name: str) -> str:
        try:
            return cls._interop_attributes_[name]
        except KeyError:
            raise TypeError(f"{cls.__name__} has no field {name!r}") from None

    def to_dict(self) -> dict:
        """The value as plain Python data: dicts keyed by the IDL's names, enum members by name,
        flags as lists of names, strings as str, bytes as bytes, vecs and arrays as lists,
        absent optionals as None, unions as {variant: value}."""
        cls = type(self)
        return {idl: conv.dump(raw.__get__(self, cls)) for _, idl, conv, raw in cls._interop_spec_}

    @classmethod
    def from_dict(cls, data: _typing.Mapping[str, _typing.Any]) -> _typing.Any:
        """A new value from what to_dict returns (fields left out are zero)."""
        value = cls()
        value._interop_load(data)
        return value

    def _interop_dump(self) -> dict:
        return self.to_dict()

    def _interop_load(self, value: _typing.Any) -> None:
        cls = type(self)
        if isinstance(value, cls):
            _copy(self, value)
            return
        if not hasattr(value, "items"):
            raise TypeError(f"{cls.__name__} takes a {cls.__name__} or a dict, not {type(value).__name__}")
        fresh = cls()
        for name, item in value.items():
            setattr(fresh, cls._interop_attribute(name), item)
        _copy(self, fresh)

    def __repr__(self) -> str:
        cls = type(self)
        fields = ", ".join(f"{py}={conv.show(raw.__get__(self, cls))}" for py, _, conv, raw in cls._interop_spec_)
        return f"{cls.__name__}({fields})"

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.to_dict() == other.to_dict()  # type: ignore[attr-defined]

    __hash__ = None  # type: ignore[assignment]


class _Union(ctypes.LittleEndianStructure):
    """Base of the generated unions: { tag, payload }, with the variant read and set by name."""

    __setattr__ = _setattr
    __getattr__ = _getattr
    copy = _detached

    _interop_fields_: tuple = ()
    _interop_variants_: tuple = ()
    _interop_spec_: tuple = ()
    _interop_attributes_: dict = {}
    _interop_by_tag_: dict = {}
    _interop_by_name_: dict = {}

    def __init__(self, /, **variant: _typing.Any) -> None:
        """Union(Name=value): the variant Name holding value (None for a variant without one)."""
        super().__init__()
        if len(variant) > 1:
            raise TypeError(f"{type(self).__name__} takes one variant, not {len(variant)}")
        for name, value in variant.items():
            self.set(name, value)

    def _interop_variant(self) -> _typing.Any:
        cls = type(self)
        return cls._interop_by_tag_.get(int(cls._interop_spec_[0][3].__get__(self, cls)))

    def variant(self) -> tuple:
        """The active variant as (IDL name, value): the value is None for a variant without a
        payload, a view for structs and containers. Raises ValueError for an unknown tag."""
        variant = self._interop_variant()
        if variant is None:
            raise ValueError(f"{type(self).__name__} has no variant with tag {int(self.tag)}")
        _, idl_name, python_name, conv = variant
        if conv is None:
            return (idl_name, None)
        return (idl_name, conv.get(getattr(self.payload, python_name)))

    get = variant

    def set(self, variant: _typing.Any, value: _typing.Any = None) -> None:
        """Makes `variant` (its IDL name, Python name, Tag member or tag value) the active one,
        holding `value` (None leaves a payload zero)."""
        cls = type(self)
        if isinstance(variant, str):
            found = cls._interop_by_name_.get(variant)
        elif _is_int(variant):
            found = cls._interop_by_tag_.get(int(variant))
        else:
            raise TypeError(f"{cls.__name__}.set takes a variant name or tag, not {variant!r}")
        if found is None:
            raise ValueError(f"{cls.__name__} has no variant {variant!r}")
        tag, _, python_name, conv = found
        fresh = cls()
        fresh.tag = tag
        if conv is None:
            if value is not None:
                raise ValueError(f"{cls.__name__}.{found[1]} has no payload")
        elif value is not None:
            try:
                if conv.simple:
                    setattr(fresh.payload, python_name, conv.raw(value))
                else:
                    conv.fill(getattr(fresh.payload, python_name), value)
            except (TypeError, ValueError) as error:
                raise type(error)(f"{cls.__name__}.{found[1]}: {error}") from None
        _copy(self, fresh)

    def to_dict(self) -> dict:
        """{variant: value} with the IDL's variant name; the value as in _Struct.to_dict."""
        variant = self._interop_variant()
        if variant is None:
            return {"tag": int(self.tag)}
        _, idl_name, python_name, conv = variant
        return {idl_name: None if conv is None else conv.dump(getattr(self.payload, python_name))}

    @classmethod
    def from_dict(cls, data: _typing.Any) -> _typing.Any:
        """A new value from {variant: value}, a variant name, or (variant, value)."""
        value = cls()
        value._interop_load(data)
        return value

    def _interop_dump(self) -> dict:
        return self.to_dict()

    def _interop_load(self, value: _typing.Any) -> None:
        cls = type(self)
        if isinstance(value, cls):
            _copy(self, value)
        elif isinstance(value, str):
            self.set(value)
        elif isinstance(value, tuple) and len(value) == 2:
            self.set(*value)
        elif hasattr(value, "items") and len(value) == 1:
            self.set(*next(iter(value.items())))
        else:
            raise TypeError(f"{cls.__name__} takes a {cls.__name__}, a dict of one variant, or a variant name")

    def __repr__(self) -> str:
        variant = self._interop_variant()
        name = type(self).__name__
        if variant is None:
            return f"{name}(tag={int(self.tag)})"
        _, _, python_name, conv = variant
        if conv is None:
            return f"{name}({python_name}=None)"
        return f"{name}({python_name}={conv.show(getattr(self.payload, python_name))})"

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.to_dict() == other.to_dict()  # type: ignore[attr-defined]

    __hash__ = None  # type: ignore[assignment]


class _Text(ctypes.LittleEndianStructure):
    """Shared by string<N> and bytes<N>: { len: u32, data: [u8; N] }."""

    __setattr__ = _setattr
    copy = _detached

    _capacity_ = 0
    _idl_ = ""

    def _count(self) -> int:
        return min(self.len, self._capacity_)  # type: ignore[attr-defined]

    def _bytes(self) -> bytes:
        return ctypes.string_at(ctypes.addressof(self.data), self._count())  # type: ignore[attr-defined]

    def _store(self, data: bytes) -> None:
        if len(data) > self._capacity_:
            raise ValueError(f"{len(data)} bytes do not fit in {self._idl_} (at most {self._capacity_} bytes)")
        address = ctypes.addressof(self.data)  # type: ignore[attr-defined]
        ctypes.memset(address, 0, self._capacity_)
        ctypes.memmove(address, data, len(data))
        self.len = len(data)

    def clear(self) -> None:
        """Makes it empty (and zeroes its bytes)."""
        self._store(b"")

    def __len__(self) -> int:
        """The length in bytes."""
        return self._count()

    def _interop_load(self, value: _typing.Any) -> None:
        if isinstance(value, _String if isinstance(self, _String) else _Bytes):
            self._store(value._bytes())
        else:
            self.set(value)  # type: ignore[attr-defined]


class _String(_Text):
    """string<N>: UTF-8 text of at most N bytes. str(s) or s.get() read it, s.set(text) writes it."""

    def get(self) -> str:
        """The text (UnicodeDecodeError if the bytes are not UTF-8)."""
        return self._bytes().decode("utf-8")

    def set(self, value: str) -> None:
        """Replaces the text; ValueError if its UTF-8 encoding is longer than the capacity."""
        if not isinstance(value, str):
            raise TypeError(f"{self._idl_} takes a str, not {type(value).__name__}")
        self._store(value.encode("utf-8"))

    def __str__(self) -> str:
        return self._bytes().decode("utf-8", "replace")

    def __repr__(self) -> str:
        return repr(str(self))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str):
            return self._bytes() == other.encode("utf-8")
        if isinstance(other, _String):
            return self._bytes() == other._bytes()
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def _interop_dump(self) -> str:
        return self.get()


class _Bytes(_Text):
    """bytes<N>: at most N bytes. bytes(b) or b.get() read them, b.set(data) writes them."""

    def get(self) -> bytes:
        """The bytes."""
        return self._bytes()

    def set(self, value: _typing.Any) -> None:
        """Replaces the bytes (any bytes-like value); ValueError if longer than the capacity."""
        if isinstance(value, str):
            raise TypeError(f"{self._idl_} takes bytes, not str")
        self._store(bytes(value))

    def buffer(self) -> memoryview:
        """All N bytes in place, as a writable memoryview (no copy): fill it, then set `len` to
        the count used. In a loaned request, it lies in the send buffer or shared-memory slot."""
        return memoryview(self.data).cast("B")  # type: ignore[attr-defined]

    def __bytes__(self) -> bytes:
        return self._bytes()

    def __repr__(self) -> str:
        return repr(self._bytes())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (bytes, bytearray, memoryview)):
            return self._bytes() == bytes(other)
        if isinstance(other, _Bytes):
            return self._bytes() == other._bytes()
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def _interop_dump(self) -> bytes:
        return self._bytes()


class _Vec(ctypes.LittleEndianStructure):
    """vec<T, N>: { len: u32, items: [T; N] }, a list of at most N items: len(), indexing,
    iteration, append, extend, set, clear."""

    __setattr__ = _setattr
    copy = _detached

    _capacity_ = 0
    _idl_ = ""
    _item_: _typing.Any = None

    def __len__(self) -> int:
        return min(self.len, self._capacity_)  # type: ignore[attr-defined]

    def _index(self, index: int) -> int:
        count = len(self)
        if not _is_int(index):
            raise TypeError(f"{self._idl_} indices are ints, not {type(index).__name__}")
        position = index + count if index < 0 else index
        if not 0 <= position < count:
            raise IndexError(f"index {index} is out of range for {count} items")
        return position

    def __getitem__(self, index: _typing.Any) -> _typing.Any:
        if isinstance(index, slice):
            return [self[position] for position in range(*index.indices(len(self)))]
        return self._item_.get(self.items[self._index(index)])  # type: ignore[attr-defined]

    def __setitem__(self, index: int, value: _typing.Any) -> None:
        self._put(self._index(index), value)

    def _put(self, position: int, value: _typing.Any) -> None:
        item = self._item_
        if item.simple:
            self.items[position] = item.raw(value)  # type: ignore[attr-defined]
        else:
            item.fill(self.items[position], value)  # type: ignore[attr-defined]

    def __iter__(self) -> _typing.Iterator[_typing.Any]:
        items = self.items  # type: ignore[attr-defined]
        get = self._item_.get
        for position in range(len(self)):
            yield get(items[position])

    def append(self, value: _typing.Any) -> None:
        """Adds an item at the end; ValueError when the vec is full."""
        count = len(self)
        if count >= self._capacity_:
            raise ValueError(f"{self._idl_} is full (at most {self._capacity_} items)")
        self._put(count, value)
        self.len = count + 1

    def extend(self, values: _typing.Iterable[_typing.Any]) -> None:
        """Adds items at the end; ValueError, and no change, when they do not all fit."""
        values = list(values)
        if len(self) + len(values) > self._capacity_:
            raise ValueError(
                f"{len(values)} more items do not fit in {self._idl_} holding {len(self)} "
                f"(at most {self._capacity_})"
            )
        for value in values:
            self.append(value)

    def set(self, values: _typing.Iterable[_typing.Any]) -> None:
        """Replaces every item; ValueError, and no change, when they do not fit."""
        fresh = type(self)()
        fresh.extend(values)
        _copy(self, fresh)

    def get(self) -> list:
        """The items as a list (views for structs and containers)."""
        return list(self)

    def clear(self) -> None:
        """Removes every item (and zeroes their bytes)."""
        _zero(self)

    def _interop_dump(self) -> list:
        items = self.items  # type: ignore[attr-defined]
        return [self._item_.dump(items[position]) for position in range(len(self))]

    def _interop_load(self, value: _typing.Any) -> None:
        if type(value) is type(self):
            _copy(self, value)
        elif isinstance(value, (str, bytes, dict)):
            raise TypeError(f"{self._idl_} takes a list, not {type(value).__name__}")
        else:
            self.set(value)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, _Vec):
            return self._interop_dump() == other._interop_dump()
        if isinstance(other, (list, tuple)):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        items = self.items  # type: ignore[attr-defined]
        return "[" + ", ".join(self._item_.show(items[position]) for position in range(len(self))) + "]"


class _Optional(ctypes.LittleEndianStructure):
    """optional<T>: { present: bool, value: T }. get() is the value or None, set(value) stores
    one (None clears), clear() removes it; true when present."""

    __setattr__ = _setattr
    copy = _detached

    _idl_ = ""
    _item_: _typing.Any = None

    def get(self) -> _typing.Any:
        """The value (a view for structs and containers), or None when absent."""
        if not self.present:  # type: ignore[attr-defined]
            return None
        return self._item_.get(self.value)  # type: ignore[attr-defined]

    def set(self, value: _typing.Any) -> None:
        """Stores a value (None makes it absent)."""
        if value is None:
            self.clear()
            return
        fresh = type(self)()
        item = self._item_
        if item.simple:
            fresh.value = item.raw(value)
        else:
            item.fill(fresh.value, value)
        fresh.present = True
        _copy(self, fresh)

    def clear(self) -> None:
        """Makes it absent (and zeroes the value's bytes)."""
        _zero(self)

    def __bool__(self) -> bool:
        return bool(self.present)  # type: ignore[attr-defined]

    def _interop_dump(self) -> _typing.Any:
        return self._item_.dump(self.value) if self.present else None  # type: ignore[attr-defined]

    def _interop_load(self, value: _typing.Any) -> None:
        if type(value) is type(self):
            _copy(self, value)
        else:
            self.set(value)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, _Optional):
            return self._interop_dump() == other._interop_dump()
        return bool(self.get() == other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return self._item_.show(self.value) if self.present else "None"  # type: ignore[attr-defined]


class _Method:
    """A method of a service: its names, kind, wire id, fingerprint and message classes
    (`request` is the request struct of an rpc or oneway, or the event struct of an event;
    None when the method takes no parameters; `reply` is None without a reply payload)."""

    __slots__ = ("name", "qualified_name", "kind", "id", "fingerprint", "request", "reply", "error", "single_result")

    def __init__(
        self,
        name: str,
        qualified_name: str,
        kind: str,
        id: int,
        fingerprint: str,
        request: type | None = None,
        reply: type | None = None,
        error: type | None = None,
        single_result: bool = False,
    ) -> None:
        self.name = name
        self.qualified_name = qualified_name
        self.kind = kind
        self.id = id
        self.fingerprint = bytes.fromhex(fingerprint)
        self.request = request
        self.reply = reply
        self.error = error
        self.single_result = single_result

    def __repr__(self) -> str:
        return f"<{self.kind} {self.qualified_name} id=0x{self.id:08x}>"


def _runtime() -> _typing.Any:
    """The `interop` package (runtime/python), imported when a client, server or publisher is
    first made: importing this module for its types needs neither it nor libinterop."""
    try:
        import interop
    except ImportError as error:
        raise ImportError(
            f"{__name__} needs the `interop` package to connect, serve or publish: "
            "`pip install runtime/python` from the interop workspace, or put runtime/python on "
            f"PYTHONPATH ({error})"
        ) from error
    return interop
