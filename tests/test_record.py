"""`record` makes the class `dataclass` makes: the same fields, `__init__`, repr, equality, hashing, freezing,
pickling and `replace`, with three methods not compiled from source (`paperfolio.record`)."""

from __future__ import annotations

import dataclasses
import math
import pickle
import sys
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


def compared(item: object) -> tuple:
    """Return the tuple of a dataclass instance's fields with `compare=True`, which `dataclass`'s `__eq__`
    compared up to Python 3.12 and a record's compares on every Python (3.13's dataclass compares field by
    field: the same answers but for a value unequal to itself, NaN, which a tuple compares by identity)."""
    return tuple(getattr(item, field.name) for field in dataclasses.fields(item) if field.compare)  # type: ignore[arg-type]


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
            expected = compared(made(*left)) == compared(made(*right))
            if sys.version_info < (3, 13):  # then the dataclass's own `__eq__` compares exactly these tuples
                assert (made(*left) == made(*right)) == expected
            assert (fast(*left) == fast(*right)) == expected, (left, right)
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
    assert (fast(nan) == fast(nan)) is True
    assert (made(nan) == made(nan)) is (sys.version_info < (3, 13)), "3.13's dataclass compares field by field"
    assert hash(fast(nan)) == hash(made(nan)) and fast(1.0) != fast(2.0)


@pytest.mark.parametrize("fields", [0, 1, 3])
def test_a_frozen_slots_record_pickles_its_fields_as_one_tuple(fields: int) -> None:
    """`quick_pickle`: the state is the tuple of the fields' values (not `dataclass`'s list made through
    `fields()`), and unpickling gives an equal object, frozen as before."""
    names = ["a", "b", "c"][:fields]
    cls = record(frozen=True, slots=True)(type("Quick", (), {"__annotations__": dict.fromkeys(names, "object")}))
    cls.__qualname__ = cls.__name__ = f"Quick{fields}"
    globals()[cls.__name__] = cls  # where pickle finds it
    item = cls(*[("x", n) for n in range(fields)])
    assert item.__getstate__() == tuple(("x", n) for n in range(fields))
    again = pickle.loads(pickle.dumps(item, protocol=5))
    assert again == item and again is not item
    for name in names:
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(again, name, 1)
    slots_only = record(slots=True)(type("Plain", (), {"__annotations__": {"a": "int"}}))
    assert "__setstate__" not in vars(slots_only), "only frozen slots classes get `dataclass`'s state methods"


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


def test_the_methods_dataclass_compiles_are_kept_between_runs(tmp_path, monkeypatch) -> None:
    """The code of `__init__` (and a frozen class's `__setattr__`) is compiled once and read back from the file
    in later runs; what it does is what `dataclass` compiles, annotations included."""
    from paperfolio import record as module

    path = str(tmp_path / "__pycache__" / "records.marshal")
    monkeypatch.setattr(module, "_METHODS", module._CompiledMethods(path))
    monkeypatch.setattr(module.sys, "dont_write_bytecode", False)
    monkeypatch.setattr(module.atexit, "register", lambda func: None)  # saved by hand below

    def body() -> type:
        class Point:
            x: int
            y: int = 2
            tags: list = dataclasses.field(default_factory=list)

        return Point

    def point() -> type:
        return record(frozen=True, slots=True)(body())

    first = point()
    assert "exec" not in vars(dataclasses), "dataclasses' own exec is the builtin again once the record is made"
    module._METHODS.save()
    assert (tmp_path / "__pycache__" / "records.marshal").is_file()

    # A later run reads the code back and compiles nothing.
    later = module._CompiledMethods(path)
    assert later.code, "the file holds the compiled methods"
    monkeypatch.setattr(module, "_METHODS", later)

    def no_compiling(*args: object, **kwargs: object) -> None:
        raise AssertionError("compiled again")

    monkeypatch.setattr(module, "compile", no_compiling, raising=False)
    second = point()
    reference = dataclasses.dataclass(frozen=True, slots=True)(body())
    for cls in (first, second):
        made = cls(1)
        assert (made.x, made.y, made.tags) == (1, 2, [])
        assert cls(1).tags is not made.tags, "each instance gets its own default list"
        with pytest.raises(dataclasses.FrozenInstanceError):
            made.x = 3
        with pytest.raises(TypeError):
            cls()
        # Compiled without record.py's `from __future__ import annotations`, as `dataclass` compiles it.
        assert cls.__init__.__annotations__ == reference.__init__.__annotations__
        assert cls.__init__.__annotations__["return"] is None


def test_a_file_of_another_python_or_no_file_is_ignored(tmp_path, monkeypatch) -> None:
    from paperfolio import record as module

    path = tmp_path / "records.marshal"
    path.write_bytes(b"\x00\x00\r\n" + b"garbage")  # another magic number
    assert module._CompiledMethods(str(path)).code == {}
    path.write_bytes(module.MAGIC_NUMBER + b"not marshal data")
    assert module._CompiledMethods(str(path)).code == {}
    assert module._CompiledMethods(str(tmp_path / "missing")).code == {}


def test_nothing_is_written_where_python_writes_no_bytecode(tmp_path, monkeypatch) -> None:
    from paperfolio import record as module

    methods = module._CompiledMethods(str(tmp_path / "records.marshal"))
    monkeypatch.setattr(module.atexit, "register", lambda func: None)
    methods.exec("def f():\n return 1\n", {}, {})
    monkeypatch.setattr(module.sys, "dont_write_bytecode", True)
    methods.save()
    assert not (tmp_path / "records.marshal").exists()
    monkeypatch.setattr(module.sys, "dont_write_bytecode", False)
    methods.save()
    kept = module._CompiledMethods(str(tmp_path / "records.marshal"))
    assert list(kept.code) == ["def f():\n return 1\n"]
    namespace: dict = {}
    kept.exec("def f():\n return 1\n", {}, namespace)
    assert namespace["f"]() == 1


def test_a_folder_that_cannot_be_written_is_left_alone(tmp_path, monkeypatch) -> None:
    """Where `__pycache__/` cannot be made (here: a file stands in its way), saving does nothing and raises nothing."""
    from paperfolio import record as module

    blocker = tmp_path / "__pycache__"
    blocker.write_text("a file, not a folder")
    methods = module._CompiledMethods(str(blocker / "records.marshal"))
    monkeypatch.setattr(module.atexit, "register", lambda func: None)
    monkeypatch.setattr(module.sys, "dont_write_bytecode", False)
    methods.exec("def g():\n return 2\n", {}, {})
    methods.save()
    assert blocker.read_text() == "a file, not a folder" and list(tmp_path.iterdir()) == [blocker]
