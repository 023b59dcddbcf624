"""`record`: a dataclass that costs less to make, for the classes every build imports.

Python 3.11's `dataclass` writes each method it adds as source text and compiles it with `exec`: 227
methods for paperfolio's 41 dataclasses, 30-50 ms of every build's start-up on this project's machine
(2026-12-06, slow hours), before a single paper is read. `record` lets `dataclass` write the methods
that must be straight-line code (`__init__`, which runs thousands of times a build, and a frozen
class's `__setattr__`/`__delattr__`, which its `__init__` is written around) and gives the class
`__repr__`, `__eq__` and `__hash__` made from its fields without compiling anything: a frozen slots
class of ten fields took 0.69 ms to make against 1.18 ms, and starting Python and importing the CLI
and the pipeline took 535 million instructions against 587 (valgrind), 3% less wall time over 40
alternating runs. The methods behave as `dataclass(eq=True)` makes them (tests compare the two):

- `__repr__`: `Name(a=1, b='x')` over the fields with `repr=True`, `...` for a recursive reference;
- `__eq__`: the tuples of the fields with `compare=True` when the other object is of the same class,
  else `NotImplemented` (as `dataclass` compared up to Python 3.12; 3.13's compares field by field, which
  answers the same but for a value unequal to itself, NaN, that a tuple compares by identity first: a
  record answers the same on every Python);
- `__hash__`: of the same tuple over the fields `dataclass` hashes, for a frozen class; a class that
  is not frozen is unhashable, as `dataclass` makes it.

A method the class body defines itself is kept, as `dataclass` keeps it. Everything else (`fields`,
`replace`, slots, pickling, `__match_args__`) is `dataclass`'s own.

The trade: a shared method is slower to call than a compiled one (`==` 0.32 against 0.18 µs, `hash`
0.23 against 0.17 µs on a three-field class; sorting 10,000 of them took twice as long with shared
comparisons). A cold 1,000-paper build calls them about 2,000 times (`Urls` hashed by `lru_cache`), so
records pay; the two classes with `order=True`, which are sorted (dates, problems), stay dataclasses.
"""

from __future__ import annotations

import atexit
import dataclasses
import os
import reprlib
import sys
from collections.abc import Callable
from importlib.util import MAGIC_NUMBER
from operator import attrgetter
from typing import Any, TypeVar

from .patterns import read_marshalled, write_marshalled

C = TypeVar("C", bound=type)

# The compiled code of the methods `dataclass` writes, by their source text, kept between runs beside
# the compiled modules (`__pycache__/`, as Python keeps a module's bytecode): see `_CompiledMethods`.
_CODE_FILE = os.path.join(os.path.dirname(__file__), "__pycache__", f"records.{sys.implementation.cache_tag}.marshal")


def record(cls: C | None = None, /, *, frozen: bool = False, slots: bool = False) -> Any:
    """`@dataclass`, `@dataclass(frozen=…, slots=…)`: the same class, made without compiling three methods."""

    def make(cls: C) -> C:
        own = dict(cls.__dict__)
        dataclasses.exec = _METHODS.exec  # type: ignore[attr-defined]  # what `dataclass` compiles its methods with
        try:
            cls = dataclasses.dataclass(cls, repr=False, eq=False, frozen=frozen, slots=slots)  # type: ignore[assignment]
        finally:
            vars(dataclasses).pop("exec", None)  # the builtin again
        fields = dataclasses.fields(cls)
        if "__repr__" not in own:
            cls.__repr__ = _repr([f.name for f in fields if f.repr])  # type: ignore[assignment]
        if "__eq__" not in own:
            cls.__eq__ = _eq(_key([f.name for f in fields if f.compare]))  # type: ignore[assignment]
        # `dataclass(eq=True)` leaves a `__hash__` of the class's own (one not set to None by its `__eq__`).
        if own.get("__hash__") is None:
            hashed = [f.name for f in fields if (f.compare if f.hash is None else f.hash)]
            cls.__hash__ = _hash(_key(hashed)) if frozen else None  # type: ignore[assignment]
        if frozen and slots and "__getstate__" not in own and "__setstate__" not in own:
            quick_pickle(cls)
        return cls

    return make if cls is None else make(cls)


def quick_pickle(cls: C) -> C:
    """Give a frozen slots dataclass a pickling state made without calling `fields()` each time.

    Python 3.11's own `__getstate__` and `__setstate__` for these classes look the fields up on every
    call, which made pickling (views between processes, cache digests, the saved memo) a third of a
    10,000-paper rebuild. The state is the tuple of the fields' values, taken by one `attrgetter` (in
    C: 0.9 µs to pickle a five-field record against 1.3 with a list made in Python and 1.9 with
    `dataclass`'s, 2026-12-07). `record` gives it to every frozen slots record; the two dataclasses
    with `order=True` take it themselves.
    """
    if "__slots__" not in cls.__dict__:
        raise TypeError(f"{cls.__name__} is not a slots dataclass")
    names = tuple(f.name for f in dataclasses.fields(cls))
    # Unpickling sets each slot through its own descriptor: twice as fast as `object.__setattr__`
    # by name, and a 10,000-paper memo unpickles 400,000 of these objects.
    setters = tuple(getattr(cls, name).__set__ for name in names)
    values = _key(list(names))

    def __getstate__(self: Any) -> tuple[Any, ...]:
        return values(self)

    def __setstate__(self: Any, state: tuple[Any, ...]) -> None:
        for setter, value in zip(setters, state, strict=False):
            setter(self, value)

    cls.__getstate__ = __getstate__  # type: ignore[attr-defined]
    cls.__setstate__ = __setstate__  # type: ignore[attr-defined]
    return cls


def _key(names: list[str]) -> Callable[[Any], tuple]:
    """Return a function giving the tuple of these attributes of an object (a 1-tuple for one, as
    `dataclass` compares: a tuple compares its items by identity first)."""
    if len(names) > 1:
        return attrgetter(*names)
    if names:
        one = attrgetter(names[0])
        return lambda obj: (one(obj),)
    return lambda obj: ()


def _repr(names: list[str]) -> Callable[[Any], str]:
    @reprlib.recursive_repr()
    def __repr__(self: Any) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"{self.__class__.__qualname__}({shown})"

    return __repr__


def _eq(key: Callable[[Any], tuple]) -> Callable[[Any, Any], Any]:
    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return key(self) == key(other)
        return NotImplemented

    return __eq__


def _hash(key: Callable[[Any], tuple]) -> Callable[[Any], int]:
    def __hash__(self: Any) -> int:
        return hash(key(self))

    return __hash__


class _CompiledMethods:
    """`exec` for `dataclass`, with the code it compiles kept between runs.

    `dataclass` writes each method as source text and runs `exec(text, globals, namespace)` on it, which
    compiles the text every time Python starts (`__init__` and a frozen class's `__setattr__` and
    `__delattr__`: 119 texts, about 11 ms of every build's start on this machine, 2026-12-07). While a
    record is made, `dataclass` finds this `exec` first (a name in its module comes before a builtin):
    it compiles a text only the first time, and a file in `__pycache__/` keeps the code from one run to
    the next. The text is the key, so the code is always the text's own; the file is only read by the
    Python whose bytecode it holds (`MAGIC_NUMBER`), and it is written, when something new was compiled,
    as Python writes `.pyc` files: unless `sys.dont_write_bytecode`, replacing it whole, and not at all
    where the folder is read-only.
    """

    def __init__(self, path: str):
        self.path = path
        self.used: set[str] = set()  # the texts this run compiled or found: what the file keeps
        self.new = False
        # Empty if there is none yet or it is unreadable: then each text is compiled as `dataclass` would.
        self.code: dict[str, Any] = read_marshalled(path, MAGIC_NUMBER)

    def exec(self, text: Any, globals: dict | None = None, namespace: dict | None = None) -> None:  # noqa: A002
        if type(text) is not str:
            exec(text, globals, namespace)
            return
        code = self.code.get(text)
        if code is None:
            # As `exec(text)` compiles it in `dataclasses`: without this module's `from __future__` flags.
            code = self.code[text] = compile(text, "<string>", "exec", dont_inherit=True)
            if not self.new:
                self.new = True
                atexit.register(self.save)
        self.used.add(text)
        exec(code, globals, namespace)

    def save(self) -> None:
        """Write the code of the texts this run used, if this Python writes bytecode and the folder lets
        it. Texts no longer used (a field renamed since) are left out, so the file does not grow."""
        if not sys.dont_write_bytecode:
            write_marshalled(self.path, MAGIC_NUMBER, {text: self.code[text] for text in sorted(self.used)})


_METHODS = _CompiledMethods(_CODE_FILE)
