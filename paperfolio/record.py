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
  else `NotImplemented`;
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

import dataclasses
import reprlib
from collections.abc import Callable
from operator import attrgetter
from typing import Any, TypeVar

C = TypeVar("C", bound=type)


def record(cls: C | None = None, /, *, frozen: bool = False, slots: bool = False) -> Any:
    """`@dataclass`, `@dataclass(frozen=…, slots=…)`: the same class, made without compiling three methods."""

    def make(cls: C) -> C:
        own = dict(cls.__dict__)
        cls = dataclasses.dataclass(cls, repr=False, eq=False, frozen=frozen, slots=slots)  # type: ignore[assignment]
        fields = dataclasses.fields(cls)
        if "__repr__" not in own:
            cls.__repr__ = _repr([f.name for f in fields if f.repr])  # type: ignore[assignment]
        if "__eq__" not in own:
            cls.__eq__ = _eq(_key([f.name for f in fields if f.compare]))  # type: ignore[assignment]
        # `dataclass(eq=True)` leaves a `__hash__` of the class's own (one not set to None by its `__eq__`).
        if own.get("__hash__") is None:
            hashed = [f.name for f in fields if (f.compare if f.hash is None else f.hash)]
            cls.__hash__ = _hash(_key(hashed)) if frozen else None  # type: ignore[assignment]
        return cls

    return make if cls is None else make(cls)


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
