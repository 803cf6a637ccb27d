"""Test data built once and shared by consecutive tests: pytest's `setUpTestData`.

A *layer* is a fixture declared with `@layer(...)`. Its rows are created once, inside a
transaction that stays open while consecutive tests ask for the layer; every test still runs
in its own transaction on top (pytest-django's `db` fixture, a savepoint here), so what a test
writes is rolled back and the next test finds the layer as it was built. Python objects are
handed to each test as deep copies, as Django does for `setUpTestData`.

The layers of the previous test are rolled back before a test that uses the database without
asking for them, before a transactional test (its flush must not meet an open transaction),
before the first test of every module (so module-scoped fixtures never write into a layer)
and at the end of the session. When a test's own transaction is already open before the layers
could be pushed, the layer is built afresh inside it for that test: slower, never wrong.
"""

import copy
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.db import connection, transaction


@dataclass
class Layer:
    name: str
    needs: tuple[str, ...]
    build: Callable[..., object]


@dataclass
class Built:
    layer: Layer
    atomic: transaction.Atomic
    value: object


@dataclass
class Stack:
    """The layers built right now, bottom first, each in its own savepoint."""

    layers: dict[str, Layer] = field(default_factory=dict)
    built: list[Built] = field(default_factory=list)
    blocker: object = None
    tmp_factory: pytest.TempPathFactory | None = None
    module: object = None

    def names(self) -> list[str]:
        return [b.layer.name for b in self.built]

    def value(self, name: str) -> object:
        return next(b.value for b in self.built if b.layer.name == name)

    def wanted(self, fixturenames: Iterable[str]) -> list[str]:
        """The layers a test asks for, with what they need, dependencies first."""
        order: list[str] = []

        def add(name: str) -> None:
            for need in self.layers[name].needs:
                add(need)
            if name not in order:
                order.append(name)

        for name in self.layers:
            if name in fixturenames:
                add(name)
        return order

    def trim(self, wanted: list[str]) -> None:
        """Roll back layers from the top until the stack is the start of `wanted`."""
        if not self.built:
            return
        with self.blocker.unblock():
            while self.built and self.names() != wanted[: len(self.built)]:
                top = self.built.pop()
                transaction.set_rollback(True)
                top.atomic.__exit__(None, None, None)

    def push(self, wanted: list[str]) -> bool:
        """Build the missing layers; False when another transaction is open on top."""
        with self.blocker.unblock():
            if connection.atomic_blocks != [b.atomic for b in self.built]:
                return False
            for name in wanted[len(self.built):]:
                layer = self.layers[name]
                atomic = transaction.atomic()
                atomic._from_testcase = True  # durable blocks may run inside, as in TestCase
                atomic.__enter__()
                try:
                    value = layer.build(*(copy.deepcopy(self.value(n)) for n in layer.needs))
                except BaseException:
                    atomic.__exit__(*sys.exc_info())
                    raise
                self.built.append(Built(layer, atomic, value))
        return True


STACK = Stack()


def layer_dir(name: str) -> Path:
    """A directory for files a layer writes (removed with pytest's other temporary files)."""
    assert STACK.tmp_factory is not None
    return STACK.tmp_factory.mktemp(name)


def layer(*needs: str) -> Callable[[Callable[..., object]], object]:
    """Declare a layer fixture named after `build`, built on the layers named in `needs`.

    `build` receives the values of `needs` (copies) and returns the layer's value.
    """

    def register(build: Callable[..., object]) -> object:
        name = build.__name__
        known = STACK.layers.get(name)
        if known is not None and ((known.build.__module__, known.build.__qualname__)
                                  != (build.__module__, build.__qualname__)):
            raise ValueError(f"two layers are named {name}: layer names are global")
        STACK.layers[name] = Layer(name, needs, build)

        def fixture(request: pytest.FixtureRequest, _layer_stack: Stack, db: None) -> object:
            if name in STACK.names():
                return copy.deepcopy(STACK.value(name))
            return build(*(request.getfixturevalue(n) for n in needs))

        fixture.__doc__ = build.__doc__
        return pytest.fixture(name=name)(fixture)

    return register


def uses_db(item: pytest.Item) -> bool:
    names = getattr(item, "fixturenames", ())
    return item.get_closest_marker("django_db") is not None or "_django_db_helper" in names


def transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None:
        args = (*marker.args, False, False)
        if (marker.kwargs.get("transaction", args[0])
                or marker.kwargs.get("reset_sequences", args[1])):
            return True
    names = getattr(item, "fixturenames", ())
    return bool({"transactional_db", "live_server", "django_db_reset_sequences"} & set(names))


def before(item: pytest.Item) -> None:
    """Before a test's fixtures: drop the layers it does not want."""
    module = getattr(item, "module", None)
    if module is not STACK.module:
        STACK.module = module
        STACK.trim([])
    elif uses_db(item):
        wanted = [] if transactional(item) else STACK.wanted(item.fixturenames)
        STACK.trim(wanted)


def signature(item: pytest.Item) -> tuple[str, ...] | None:
    if not uses_db(item):
        return None
    return () if transactional(item) else tuple(STACK.wanted(item.fixturenames))


def group_by_layers(items: list[pytest.Item]) -> None:
    """Within a module, run the tests that want the same layers one after the other (where
    the first of them stood), so a layer is built once per module rather than per switch."""
    first: dict[tuple, int] = {}
    for index, item in enumerate(items):
        first.setdefault((getattr(item, "module", None), signature(item)), index)
    position = {id(item): first[(getattr(item, "module", None), signature(item))]
                for item in items}
    items.sort(key=lambda item: position[id(item)])  # stable: same group keeps its order


def put_db_marker_last(items: list[pytest.Item]) -> None:
    """pytest-django opens a marked test's transaction in an autouse fixture that would come
    before `_with_layers`; move it after, so the layers go under the test's transaction."""
    for item in items:
        names = getattr(item, "fixturenames", None)
        if names and "_with_layers" in names and "_django_db_marker" in names:
            names.remove("_django_db_marker")
            names.insert(names.index("_with_layers") + 1, "_django_db_marker")
