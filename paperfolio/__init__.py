"""paperfolio: a static site generator for a researcher's publication portfolio."""

import os
import sys

# The modules a build imports, in about the order their import ends (`python -X importtime build.py`): a
# module missing here is only compiled where it is imported, as usual.
_MODULES = (
    *("patterns", "record", "errors", "cache", "buildstate", "writer", "cli", "parallel", "templating", "compiling"),
    *("charts", "model", "citations", "urls", "groups", "metrics", "related", "index", "categories", "latex"),
    *("mathml", "visible", "linktext", "markup", "views", "filters", "bibtex", "csl", "ris", "exports", "metadata"),
    *("render", "browse", "feeds", "search", "sitemap", "incremental", "loader", "paperpages", "schema", "settings"),
    *("pipeline",),
)


def _compile_ahead() -> None:
    """On the first import from a checkout (nothing compiled yet, and bytecode to be written), fork a
    process that compiles paperfolio's modules last-imported first, while this one imports them in order
    and finds more and more of them compiled: a fresh clone's first build spent about 0.1 s compiling
    paperfolio's 10,000 lines on one core. The helper only writes `__pycache__/` files, as an import
    would (each replaced whole), skips a module already compiled, and ends by itself."""
    if sys.dont_write_bytecode or not hasattr(os, "fork") or sys.implementation.cache_tag is None:
        return
    folder = os.path.dirname(os.path.abspath(__file__))
    if os.path.exists(os.path.join(folder, "__pycache__", f"pipeline.{sys.implementation.cache_tag}.pyc")):
        return
    child = os.fork()
    if child != 0:
        os.waitpid(child, 0)  # it only forks the helper and ends, so the helper is nobody's child to reap
        return
    if os.fork() != 0:
        os._exit(0)
    try:  # the helper process
        import py_compile
        from importlib.util import cache_from_source

        for name in reversed(_MODULES):
            source = os.path.join(folder, f"{name}.py")
            target = cache_from_source(source)
            if not os.path.exists(target):  # the importing process got there first
                py_compile.compile(
                    source, target, doraise=False, quiet=2, invalidation_mode=py_compile.PycInvalidationMode.TIMESTAMP
                )
    finally:
        os._exit(0)


_compile_ahead()

from . import patterns  # noqa: E402, F401 - first of the package: it gives `re` the compiled patterns of the last run

__version__ = "0.1.0"
