"""Compiling the layouts: Jinja bytecode kept in a memo, compiled in the workers that read the papers, or
compiled in a forked process while this one is still importing (`EarlyLayouts`).

Imports only Jinja, the layout environment, `parallel` and `cache` (and the standard library), so that a
process can start compiling before the rest of paperfolio is imported.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

import jinja2
import jinja2.meta

from . import parallel
from .cache import digest
from .templating import make_environment


class BytecodeCache(jinja2.BytecodeCache):
    """Compiled layouts kept in a memo, so a layout is compiled once until its source changes."""

    def __init__(self, store: dict[str, bytes]):
        self.store = store

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self.store.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)  # Jinja drops it when the source's checksum differs

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


def compile_layouts(
    env: jinja2.Environment, layouts: Path | None = None, names: Sequence[str] | None = None
) -> Compiled:
    """Compile page layouts (`names`, else every one) into the environment's `BytecodeCache`; return what
    this call added to that cache and, with `layouts` (their folder), the layouts each one references,
    read off the trees it compiled.

    Run in workers while the papers are read (`layout_tasks`), it hands back compiled layouts that the
    main process loads instead of compiling them (0.15 s of every cold build), and what a first build
    with a cache would otherwise parse every layout again to learn (`Digests.template_set`). A layout
    with an error is left out: the page that uses it reports the error with its file and line.
    """
    references: References = {}
    parse = env._parse  # Jinja's one parsing step of `compile`; wrapped here to keep each layout's tree

    def parse_and_note(source: str, name: str | None, filename: str | None) -> jinja2.nodes.Template:
        tree = parse(source, name, filename)
        if name is not None and layouts is not None:
            key = layout_key(layouts, name)
            # Noted only under the bytes that were parsed: a layout saved since it was read is parsed again.
            text = key.partition(b"\0")[2].decode("utf-8", "replace").replace("\r\n", "\n").replace("\r", "\n")
            if text == source.replace("\r\n", "\n").replace("\r", "\n"):
                references[digest(key)] = tuple(jinja2.meta.find_referenced_templates(tree))
        return tree

    cache = env.bytecode_cache
    store = cache.store if isinstance(cache, BytecodeCache) else {}
    before = set(store)
    env._parse = parse_and_note  # type: ignore[method-assign]
    try:
        for name in env.list_templates() if names is None else names:
            if name.endswith(".html"):
                with contextlib.suppress(jinja2.TemplateError):
                    env.get_template(name)
    finally:
        del env._parse  # the class's method again
    return {key: data for key, data in store.items() if key not in before}, references


def layout_tasks(env: jinja2.Environment, layouts: Path, *, references: bool = True) -> list[Callable[[], Compiled]]:
    """Return one `compile_layouts` task per page layout, the longest first (`layout_names`), so that workers
    reading papers share the compiling evenly (one worker compiling all 15 default layouts took 90 ms, while
    reading the 37 default papers took 36). `references`: whether the tasks note what each layout references."""
    noted = layouts if references else None
    return [partial(compile_layouts, env, noted, [name]) for name in layout_names(layouts)]


# A layout's digest (`layout_key`) -> the names of the layouts it extends, includes or imports; None for
# a name computed when the page is rendered.
References = dict[bytes, tuple[str | None, ...]]
# Compiled layouts as a worker hands them back: bytecode by cache key, and what each layout references.
Compiled = tuple[dict[str, bytes], References]


def layout_key(layouts: Path, name: str) -> bytes:
    """Return what a layout's bytes are read as, under its name, for digests: `missing` if unreadable."""
    try:
        with open(os.path.join(layouts, name), "rb") as file:
            return name.encode() + b"\0" + file.read()
    except OSError:
        return name.encode() + b"\0missing"


class EarlyLayouts:
    """The page layouts compiled in a forked process while this process imports the rest of paperfolio,
    and here too once it has read the papers.

    A cold build spends its first 60-80 ms importing on one core, and then, with the papers to read,
    about 50 ms of CPU compiling 15 layouts (`layout_tasks`). Forked before those imports, a process
    compiles them, the longest first, on the core the imports leave idle; when this process asks for
    them (`result`), it compiles those the other has not started yet itself, from the same queue, so
    neither waits for the other (the default site: this process used to wait 12-33 ms, idle, for the
    last layouts). `result` hands back what `layout_tasks` would have: the bytecode and each layout's
    references. The bytecode cache checks each layout's source again when the page is rendered, so a
    layout saved meanwhile is compiled again there, never used stale. Anything that goes wrong (no fork,
    the process killed midway, an unreadable answer) gives `None`, and the build compiles as it would have.
    """

    def __init__(self, layouts: Path):
        self.layouts = layouts
        self._env: jinja2.Environment | None = None  # each process's own, made by the first layout it compiles
        names = layout_names(layouts)
        tasks = [partial(self._compile, name) for name in names]
        self._worker = parallel.Background(tasks, helping=True) if parallel.can_fork() and tasks else None

    @property
    def pid(self) -> int | None:
        """The compiling process's id, until its answer is read or it is let go."""
        return self._worker.pid if self._worker is not None else None

    def result(self) -> Compiled | None:
        """Compile what the other process has not started, wait for the rest; return all of it, or None
        if that process did not finish what it started."""
        if self._worker is None:
            return None
        try:
            parts = self._worker.results()
        except Exception:  # noqa: BLE001 - killed midway, say: compile here instead
            return None
        finally:
            self.discard()
        compiled: dict[str, bytes] = {}
        references: References = {}
        for some, noted in parts:
            compiled.update(some)
            references.update(noted)
        return compiled, references

    def discard(self) -> None:
        """End the process, with or without its answer (a build that needs none, or failed), and reap it."""
        if self._worker is not None:
            self._worker.close()
            self._worker = None

    def _compile(self, name: str) -> Compiled:
        if self._env is None:
            self._env = _compiling_environment(self.layouts)
        return compile_layouts(self._env, self.layouts, [name])


def layout_names(layouts: Path) -> list[str]:
    """Return the page layouts' names (`.html` files under `layouts/`, as the loader lists them), the
    longest first: compiled in that order by two processes, they end together."""
    found = []
    for folder, dirs, files in os.walk(layouts):
        dirs.sort()
        for file in files:
            if file.endswith(".html"):
                path = os.path.join(folder, file)
                with contextlib.suppress(OSError):
                    found.append((-os.stat(path).st_size, os.path.relpath(path, layouts).replace(os.sep, "/")))
    return [name for _size, name in sorted(found)]


def compile_all(layouts: Path) -> Compiled:
    """Compile every page layout in a fresh environment; return what `compile_layouts` does."""
    return compile_layouts(_compiling_environment(layouts), layouts, layout_names(layouts))


def _compiling_environment(layouts: Path) -> jinja2.Environment:
    """Return a new layout environment whose bytecode cache starts empty, to collect what it compiles."""
    env = make_environment(layouts)
    env.bytecode_cache = BytecodeCache({})
    return env
