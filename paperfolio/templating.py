"""The Jinja environment layouts render in, and the shortcuts it takes through Jinja's generated code.

A cold build of 1,000 papers renders about 1,600 pages and 2,000 cards, and most of that time is Jinja's:
each `{{ x.name }}` calls `Environment.getattr`, each `{{ value }}` MarkupSafe's `escape`, each macro call
`Context.call` and `Macro.__call__`, all in Python. The classes here keep every template's behaviour and
take a shorter path where the general one is not needed; tests render the default site both ways and
compare the bytes.
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from types import FunctionType, MappingProxyType, MethodType
from typing import Any

import jinja2
from jinja2.compiler import CodeGenerator, Frame, optimizeconst
from jinja2.runtime import Context, EvalContext, Macro, missing
from jinja2.utils import internalcode, pass_eval_context
from markupsafe import Markup, escape

from .errors import close_matches

try:  # MarkupSafe 3's C function under `escape`; MarkupSafe 2, or no compiled speedups, has none
    from markupsafe._speedups import _escape_inner  # type: ignore[import-not-found]
except ImportError:
    _escape_inner = None


def make_environment(layouts: Path) -> jinja2.Environment:
    """Return the Jinja environment: autoescape on, undefined names are errors, whitespace tidy."""
    env = jinja2.Environment(
        loader=LayoutLoader(str(layouts)),
        autoescape=True,
        undefined=HintedUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        # A plain dict of loaded layouts: Jinja's default, a 400-entry LRU cache, takes a lock and reorders a
        # deque on every look-up, and each page looks up two or three (`extends`, `from … import`).
        cache_size=-1,
    )
    env.template_class = LayoutTemplate
    env.code_generator_class = LayoutCodeGenerator
    env.context_class = LayoutContext
    # Templates read the environment's globals through a read-only view rather than Jinja's ChainMap of
    # per-template globals over them (no layout has its own): every render copies the globals and every
    # `{% from %}` import compares their names, and through a ChainMap each costs about 10 µs.
    env.make_globals = lambda own: ChainMap(own, env.globals) if own else MappingProxyType(env.globals)

    def anyattr(items: Iterable[Any], *names: str) -> bool:
        """Return whether any item has a true attribute of these names: `selectattr(name) | list`, five times faster."""
        return any(getattr(item, name) for item in items for name in names)

    env.filters["anyattr"] = anyattr
    return env


class HintedUndefined(jinja2.StrictUndefined):
    """Jinja's `StrictUndefined`, whose error for a missing attribute or key names the closest there are:
    `{{ paper.titel }}` says "… has no attribute 'titel'; did you mean `title_text` or `title_html`?" (a
    layout's author has no list of a view's fields at hand). Only an error pays for the look-up."""

    __slots__ = ()

    @property
    def _undefined_message(self) -> str:
        message = super()._undefined_message
        owner, name = self._undefined_obj, self._undefined_name
        if self._undefined_hint or owner is missing or not isinstance(name, str):
            return message
        names = owner.keys() if isinstance(owner, Mapping) else (n for n in dir(owner) if not n.startswith("_"))
        close = close_matches(name, sorted(n for n in names if isinstance(n, str)), 3, 0.5)
        return f"{message}; did you mean {' or '.join(f'`{n}`' for n in close)}?" if close else message


def _quick_escape() -> Callable[[Any], Markup]:
    """Return a function that escapes what a layout writes exactly as `markupsafe.escape` does, faster.

    MarkupSafe 3's `escape` is Python around a C function, and builds its result through `Markup`'s
    Python constructor. A page writes ~100 values through it (a card ~40), mostly `str` and `Markup`:
    for those this takes the C function and `str.__new__` directly, and returns a `Markup` as it is
    (it is immutable; `escape` would return an equal copy), and writes Jinja's plain `Undefined` as "".
    Anything else goes to `escape`. Measured with valgrind on the default site: 18% fewer instructions
    to render a paper page and its two cards.
    """
    if _escape_inner is None:  # MarkupSafe 2, whose `escape` is all C, or no compiled speedups
        return escape
    new = str.__new__
    empty = Markup()
    undefined = jinja2.Undefined  # exactly: `StrictUndefined` and other kinds go to `escape`, which raises for them

    def quick_escape(value: Any) -> Markup:
        kind = type(value)
        if kind is str:
            return new(Markup, _escape_inner(value))
        if kind is Markup:
            return value
        if kind is undefined:
            # `{{ "s" if n != 1 }}` gives Jinja's plain `Undefined` when false (whatever the environment's kind),
            # which `escape` writes as "" only after `hasattr(value, "__html__")` has raised and caught an
            # AttributeError in Python: 600 times at 1,000 papers, 1.3% of a serial build's samples (py-spy).
            return empty
        return escape(value)

    return quick_escape


class LayoutCodeGenerator(CodeGenerator):
    """Jinja's code generator, writing `x.name` so that an attribute that exists is read by the builtin.

    Jinja writes `environment.getattr(x, "name")`: a Python call that tries the attribute, then the item
    `x["name"]`, then makes an undefined value. A paper page reads about 220 attributes, so this writes
    `getattr(x, "name", missing)` first, and only when that finds nothing makes the same call as Jinja
    with the same `x` (evaluated once, kept in `_pf_o`). Jinja's generated code has no comprehension or
    lambda for the assignment expressions to fall in. Valgrind on the default site: 4% fewer instructions
    for a paper page, 9% for a compact card, 12% for a card (with `QuickMacro`).
    """

    @optimizeconst
    def visit_Getattr(self, node: jinja2.nodes.Getattr, frame: Frame) -> None:
        if self.environment.is_async:  # not ours; Jinja's own code for it
            CodeGenerator.visit_Getattr.__wrapped__(self, node, frame)  # type: ignore[attr-defined]
            return
        self.write("(_pf_a if (_pf_a := getattr((_pf_o := ")
        self.visit(node.node, frame)
        self.write(f"), {node.attr!r}, missing)) is not missing else environment.getattr(_pf_o, {node.attr!r}))")

    def visit_Output(self, node: jinja2.nodes.Output, frame: Frame) -> None:
        """Write a run of output (text and `{{ … }}` between two tags) as one `yield concat((…))`.

        Jinja yields each piece separately, and each yield resumes every generator between it and the
        page (a paper page's block, its layout, `base.html`): a paper page yielded about 210 pieces.
        The pieces, and the order they are evaluated in, are Jinja's own; only a run inside a `{% set %}`
        block or a macro, which Jinja appends to a list, and a single piece are left to Jinja.
        """
        if frame.buffer is not None or self.environment.is_async or frame.require_output_check:
            super().visit_Output(node, frame)
            return
        finalize = self._make_finalize()
        body: list[Any] = []
        for child in node.nodes:  # as Jinja does: constants evaluated now, grouped; the rest at render time
            try:
                if not (finalize.const or isinstance(child, jinja2.nodes.TemplateData)):
                    raise jinja2.nodes.Impossible()
                const = self._output_child_to_const(child, frame, finalize)
            except (jinja2.nodes.Impossible, Exception):
                body.append(child)
                continue
            if body and isinstance(body[-1], list):
                body[-1].append(const)
            else:
                body.append([const])
        if len(body) < 2:
            super().visit_Output(node, frame)
            return
        self.writeline("yield concat((")
        self.indent()
        for item in body:
            if isinstance(item, list):
                self.writeline(self._output_const_repr(item) + ",")
            else:
                self.newline(item)
                self._output_child_pre(item, frame, finalize)
                self.visit(item, frame)
                self._output_child_post(item, frame, finalize)
                self.write(",")
        self.outdent()
        self.writeline("))")

    def _inline_escape(self, frame: Frame, finalize: Any) -> bool:
        """Return whether this output child is escaped as autoescape always does, with no finalize."""
        return (
            frame.eval_ctx.autoescape
            and not frame.eval_ctx.volatile
            and finalize.src is None
            and not self.environment.is_async
        )

    def _output_child_pre(self, node: jinja2.nodes.Expr, frame: Frame, finalize: Any) -> None:
        """Write `{{ value }}` escaped in line: a `str` through MarkupSafe's C escape function, a `Markup`
        as it is, anything else through `escape` (`_quick_escape`) as before.

        Jinja writes `escape(value)`, a Python call returning a new `Markup` copy of the escaped text for
        each of the ~170 values a paper page and its cards write (140 of every 170 are `str`); the page
        only joins the pieces, so an escaped `str` writes the same characters. What a `{% set %}` block or
        a macro makes is still wrapped in `Markup` by Jinja, as before.
        """
        if self._inline_escape(frame, finalize):
            self.write("(_pf_escape_str(_pf_v) if (_pf_t := type(_pf_v := ")
        else:
            super()._output_child_pre(node, frame, finalize)

    def _output_child_post(self, node: jinja2.nodes.Expr, frame: Frame, finalize: Any) -> None:
        if self._inline_escape(frame, finalize):
            self.write(")) is str else _pf_v if _pf_t is Markup else escape(_pf_v))")
        else:
            super()._output_child_post(node, frame, finalize)


def _escape_str() -> Callable[[str], str]:
    """Return a function escaping a `str` to the `str` MarkupSafe's `escape` holds in its `Markup`."""
    return _escape_inner if _escape_inner is not None else lambda text: str(escape(text))


class QuickMacro(Macro):
    """A layout's macro. A call that needs none of Jinja's special arguments (`caller`, `varargs`,
    `kwargs`) gets its arguments bound here in a few steps; anything else goes through `Macro` as before."""

    def __init__(self, environment: jinja2.Environment, func: Callable[..., str], name: str, *rest: Any):
        super().__init__(environment, func, name, *rest)
        # Jinja 3.1's attributes; a Jinja without them takes `Macro`'s path for every call.
        known = all(hasattr(self, name) for name in ("_func", "_argument_count", "arguments"))
        special = getattr(self, "catch_kwargs", True) or getattr(self, "catch_varargs", True)
        self._plain = known and not (special or getattr(self, "caller", True) or environment.is_async)

    @internalcode
    @pass_eval_context
    def __call__(self, *args: Any, **kwargs: Any) -> str:
        if self._plain and args and type(args[0]) is EvalContext and len(args) <= self._argument_count + 1:
            arguments = list(args[1:])
            found = 0
            for name in self.arguments[len(arguments) :]:
                value = kwargs.get(name, missing)  # a missing one takes its default in the macro's code
                found += value is not missing
                arguments.append(value)
            if found == len(kwargs):  # else an unknown keyword: `Macro` raises Jinja's error
                rv = self._func(*arguments)
                return Markup(rv) if args[0].autoescape else rv
        return super().__call__(*args, **kwargs)


class LayoutContext(Context):
    """A layout's render context: a call to a macro or to a plain function skips `Context.call`'s look
    for context-taking functions."""

    @internalcode
    def call(__self, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 - Jinja's own signature
        kind = type(__obj)
        if kind is QuickMacro:  # takes the evaluation context, as `Context.call` would find out
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
            return __obj(__self.eval_ctx, *args, **kwargs)
        # A function, or a method of one, without `jinja_pass_arg` (what `pass_context` and its kin set
        # in its `__dict__`) is called with the arguments as they are: what `Context.call` finds out with
        # two `hasattr`s that fail (2 µs of a 2.1 µs `{{ url('feed.xml') }}`; about 4 calls a page).
        func = __obj.__func__ if kind is MethodType else __obj
        if type(func) is FunctionType and "jinja_pass_arg" not in func.__dict__:
            if kwargs:
                kwargs.pop("_block_vars", None)
                kwargs.pop("_loop_vars", None)
            try:
                return __obj(*args, **kwargs)
            except StopIteration:  # as `Context.call` answers it
                return __self.environment.undefined(
                    "value was undefined because a callable raised a StopIteration exception"
                )
        return super().call(__obj, *args, **kwargs)


class LayoutTemplate(jinja2.Template):
    """A layout whose `{{ … }}` output is escaped by `_quick_escape` and whose macros are `QuickMacro`s.

    Jinja compiles every `{{ value }}` of an autoescaping template to `escape(value)` and every macro to
    `Macro(…)`, globals of the module the template's code runs in; this class replaces those globals once
    the module is made (every template is made by `from_code`, from source or from the bytecode cache).
    """

    escape = staticmethod(_quick_escape())
    escape_str = staticmethod(_escape_str())
    macro = QuickMacro

    def render(self, *args: Any, **kwargs: Any) -> str:
        """Render as Jinja does; an error a layout's own code raises that is not Jinja's (`{{ n // 0 }}`,
        `{{ "a" + 1 }}`, a macro calling itself forever) becomes a `LayoutError` at the layout's line, so
        the build reports it like any template error instead of stopping with a traceback."""
        try:
            return super().render(*args, **kwargs)
        except jinja2.TemplateError:
            raise
        except Exception as error:
            where = innermost_layout_frame(error.__traceback__)
            if where is None:
                raise
            raise LayoutError(f"{type(error).__name__}: {error}", *where) from error

    @classmethod
    def from_code(cls, environment: jinja2.Environment, code: Any, globals: Any, uptodate: Any = None) -> Any:
        template = super().from_code(environment, code, globals, uptodate)
        namespace = template.root_render_func.__globals__  # the module's namespace: blocks, macros too
        namespace["escape"] = cls.escape
        namespace["_pf_escape_str"] = cls.escape_str
        namespace["Macro"] = cls.macro
        return template


class LayoutError(jinja2.TemplateRuntimeError):
    """An error raised by a layout's own code, with the layout file and line it was raised at."""

    def __init__(self, message: str, filename: str, lineno: int) -> None:
        super().__init__(message)
        self.filename, self.lineno = filename, lineno


def innermost_layout_frame(tb: Any) -> tuple[str, int] | None:
    """Return the innermost (layout file, line) in a traceback Jinja rewrote to point at the layouts."""
    found = None
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".xml", ".txt", ".json")):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


class LayoutLoader(jinja2.FileSystemLoader):
    """Jinja's file loader, but a layout that is not UTF-8 is a template error at its line, reported like
    any other, instead of a `UnicodeDecodeError` that stopped the build with a traceback."""

    def get_source(self, environment: jinja2.Environment, template: str) -> Any:
        try:
            return super().get_source(environment, template)
        except UnicodeDecodeError as error:
            data = error.object
            line = data.count(b"\n", 0, error.start) + 1
            message = f"is not valid UTF-8 (byte 0x{data[error.start]:02x}); save the layout as UTF-8"
            raise LayoutError(message, template, line) from None
