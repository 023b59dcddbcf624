"""`record` makes the class `dataclass` makes: the same fields, `__init__`, repr, equality, hashing, freezing,
pickling and `replace`, with three methods not compiled from source (`paperfolio.record`)."""

from __future__ import annotations

import dataclasses
import math
import pickle
from typing import ClassVar

import pytest

from paperfolio import model
from paperfolio.record import record


def twins(frozen: bool, slots: bool) -> tuple[type, type]:
    """Return the same class body made by `dataclass` and by `record`."""

    def body() -> type:
        class Item:
            kind: ClassVar[str] = "shared, not a field"
            name: str
            count: int = 0
            tags: tuple = ()
            note: str = dataclasses.field(default="", repr=False)
            aliases: dict = dataclasses.field(default_factory=dict, compare=False, hash=False)
            weight: float = dataclasses.field(default=1.0, hash=False)

            @property
            def size(self) -> int:
                return self.count + len(self.tags)

        return Item

    made = dataclasses.dataclass(frozen=frozen, slots=slots)(body())
    fast = record(frozen=frozen, slots=slots)(body())
    for cls, maker in ((made, "dataclass"), (fast, "record")):  # module-level names, so pickle finds them
        cls.__qualname__ = cls.__name__ = (
            f"Item_{maker}_{'frozen' if frozen else 'plain'}_{'slots' if slots else 'dict'}"
        )
        globals()[cls.__name__] = cls
    return made, fast


KINDS = [(frozen, slots) for frozen in (True, False) for slots in (True, False)]


@pytest.mark.parametrize(("frozen", "slots"), KINDS)
def test_a_record_behaves_as_the_dataclass(frozen: bool, slots: bool) -> None:
    made, fast = twins(frozen, slots)
    values = [("a",), ("a", 2, ("x",), "hidden", {"k": 1}, 0.5), ("b", 0, (), "", {}, math.nan)]
    for args in values:
        one, two = made(*args), fast(*args)
        assert repr(two) == repr(one).replace("dataclass", "record")
        assert [f.name for f in dataclasses.fields(two)] == [f.name for f in dataclasses.fields(one)]
        assert two.size == one.size and fast.kind == made.kind
        if slots:
            assert not hasattr(two, "__dict__")
        assert dataclasses.replace(two, count=7) == fast(*args[:1], 7, *args[2:])
    for left in values:
        for right in values:
            assert (made(*left) == made(*right)) == (fast(*left) == fast(*right)), (left, right)
    same = fast("b", 0, (), "", {}, math.nan)
    assert same == same, "a tuple compares an item by identity first, as the dataclass's __eq__ does"
    assert fast("a", aliases={"x": 1}) == fast("a", aliases={"y": 2}), "compare=False"
    assert fast("a").__eq__(made("a")) is NotImplemented and fast("a") != made("a")
    assert fast("a").__eq__(("a",)) is NotImplemented


@pytest.mark.parametrize("slots", [True, False])
def test_a_frozen_record_hashes_and_refuses_changes_as_the_dataclass(slots: bool) -> None:
    made, fast = twins(True, slots)
    for args in [("a",), ("a", 2, ("x",), "n", {"k": 1}, 0.5)]:
        assert hash(fast(*args)) == hash(made(*args)), "the same tuple: name, count, tags, note"
    assert hash(fast("a", weight=2.0)) == hash(fast("a", weight=3.0)), "hash=False"
    assert len({fast("a"), fast("a"), fast("b")}) == 2
    item = fast("a")
    with pytest.raises(dataclasses.FrozenInstanceError):
        item.count = 3  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del item.name  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(item)) == item


@pytest.mark.parametrize("slots", [True, False])
def test_a_record_that_is_not_frozen_is_unhashable_and_changes(slots: bool) -> None:
    made, fast = twins(False, slots)
    assert made.__hash__ is None and fast.__hash__ is None
    with pytest.raises(TypeError):
        hash(fast("a"))
    item = fast("a")
    item.count = 5
    assert item == fast("a", 5) and pickle.loads(pickle.dumps(item)) == item


def test_one_field_compares_as_a_one_tuple() -> None:
    """`(nan,) == (nan,)` holds by identity where `nan == nan` does not: the dataclass compares tuples."""

    class One:
        value: float

    made, fast = (
        dataclasses.dataclass(frozen=True)(One),
        record(frozen=True)(type("One", (), {"__annotations__": {"value": "float"}})),
    )
    nan = math.nan
    assert (made(nan) == made(nan)) is (fast(nan) == fast(nan)) is True
    assert hash(fast(nan)) == hash(made(nan)) and fast(1.0) != fast(2.0)


def test_methods_of_the_class_body_are_kept_and_repr_survives_recursion() -> None:
    @record(frozen=True)
    class Own:
        x: int

        def __repr__(self) -> str:
            return "mine"

        def __eq__(self, other: object) -> bool:
            return True

        def __hash__(self) -> int:
            return 7

    assert repr(Own(1)) == "mine" and Own(1) == Own(2) and hash(Own(1)) == 7

    @record
    class Node:
        child: object = None

    @dataclasses.dataclass
    class Twin:
        child: object = None

    node, twin = Node(), Twin()
    node.child, twin.child = node, twin
    assert repr(node) == repr(twin).replace("Twin", "Node")
    assert repr(node).endswith("<locals>.Node(child=...)")
    empty = record()(type("Empty", (), {"__annotations__": {}}))
    assert empty() == empty() and repr(empty()) == "Empty()"


def test_the_model_classes_keep_their_values_semantics() -> None:
    """The records every stage reads: equal by value, hashable (they key caches), immutable."""
    first = model.Author("Ada Lovelace", orcid="0000-0002-1825-0097")
    again = model.Author("Ada Lovelace", orcid="0000-0002-1825-0097")
    assert first == again and hash(first) == hash(again) and first != model.Author("Ada")
    assert repr(first).startswith("Author(name='Ada Lovelace', ")
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.name = "x"  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(first)) == first
