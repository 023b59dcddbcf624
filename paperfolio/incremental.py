"""Render only the pages whose inputs changed since the last build; every other page keeps its file.

A page's bytes are a pure function of its inputs: the layouts its template reads (the template set),
its context, the `site` object, the cards it reads, and paperfolio's own code. Each rendered page is
recorded with a digest of those inputs and the size, time and inode of the file it was written to.
The next build renders a page again unless the digest is equal and the file is still the one written,
so an incremental build gives the same bytes as a full one by construction (and tests check that
with random edit sequences). A page whose context cannot be digested is always rendered.
"""

from __future__ import annotations

import contextlib
import os
import zlib
from collections.abc import Callable, Sequence
from dataclasses import MISSING, field, fields, replace
from functools import partial
from pathlib import Path
from typing import Any

import jinja2
import jinja2.meta

from . import parallel
from .buildstate import FileStat
from .cache import Fragments, code_digest, digest, value_digest
from .compiling import References, layout_key
from .errors import Problem
from .model import Paper, Settings
from .record import record
from .render import CARD, COMPACT_CARD, AssetEntry, Cards, Page, SiteView, prepare_environment, render_batch
from .urls import Urls
from .views import PaperView
from .writer import Staging


@record(frozen=True, slots=True)
class PageRecord:
    """How one output file was made: its inputs' digest, the cards it read and a digest of their HTML,
    and the file written."""

    inputs: bytes
    cards: frozenset[str]
    compact: frozenset[str]
    cards_html: bytes  # `CardDigests.read(cards, compact)`
    stat: FileStat | None = None


@record(frozen=True, slots=True)
class Settled:
    """A paper whose files a full check found as the last build left them (`paperpages`): what the
    check read, for `serve`'s next build to compare instead of checking again."""

    parts: tuple[bytes, ...]  # the parts of its page's input digest
    key: str  # its citation key, which names its citation files
    names: tuple[str, ...]  # its page and citation files
    records: tuple[PageRecord, ...]  # their records, as checked (none read a card)


def _in_memory(**default: Any) -> Any:
    """A field of `Memo` that `serve` keeps in memory and a stored memo never holds."""
    return field(metadata={"in_memory": True}, **default)


@record(slots=True)
class Memo:
    """What earlier builds made, for the next build to reuse: page records and rendered cards."""

    pages: dict[str, PageRecord] = field(default_factory=dict)
    cards: dict[str, tuple[bytes, bytes]] = field(default_factory=dict)  # slug -> (card inputs, UTF-8 HTML)
    compact: dict[str, tuple[bytes, bytes]] = field(default_factory=dict)  # the same for compact cards
    bytecode: dict[str, bytes] = field(default_factory=dict)  # compiled layouts (Jinja checks their source)
    references: dict[bytes, tuple[str | None, ...]] = field(default_factory=dict)  # layout digest -> layouts used
    papers: dict[bytes, tuple[Any, list[Problem], Any]] = field(
        default_factory=dict
    )  # file key -> (Paper, problems, text)
    citations: dict[bytes, Any] = field(default_factory=dict)  # paper digest -> exports.Citation
    related: dict[bytes, dict[str, tuple[str, ...]]] = field(default_factory=dict)  # keys digest -> related papers
    written: dict[str, tuple[FileStat, bytes]] = field(default_factory=dict)  # in-place builds: `writer.Ledger`
    assets: dict[str, AssetEntry] = field(default_factory=dict)  # name under assets/ -> `render.look_at_assets`
    static: dict[str, AssetEntry] = field(default_factory=dict)  # the same for the files of static/
    search: dict[bytes, bytes] = field(default_factory=dict)  # view key -> search index entry (`cache.Fragments`)
    feeds: dict[bytes, str] = field(default_factory=dict)  # view key -> Atom entry
    shards: int = 1  # how many files each part of `SHARDED` was saved in (see `shard_count`)
    # Kept in memory by `serve` only, never stored (`save_memo` leaves them empty):
    views: dict[bytes, PaperView] = _in_memory(default_factory=dict)  # view inputs digest -> view
    inputs: dict[str, tuple[tuple, bytes, int]] = _in_memory(default_factory=dict)  # paper file -> `pipeline.load`
    # (SiteIndex, author options, citation keys) of the last build: `pipeline.remembered_index`
    index: Any = _in_memory(default=None)
    scanned: Any = _in_memory(default=None)  # (settings key, paper files, file -> key, skipped files): `pipeline.load`
    card_digests: CardMemory | None = _in_memory(default=None)  # the last build's `CardDigests`
    # (every layout file's bytes, the Jinja environment) -> `pipeline.layout_environment`
    environment: Any = _in_memory(default=None)
    settled: dict[str, Settled] = _in_memory(default_factory=dict)  # slug -> what `paperpages` found settled
    folder: tuple[int, int] | None = _in_memory(default=None)  # the output folder `written` is about (`_folder_id`)
    contexts: dict[int, tuple[Any, bytes]] = _in_memory(default_factory=dict)  # id -> (Page, digest): `Digests.page`
    sources: dict[str, Any] = _in_memory(default_factory=dict)  # what page and file sources keep: `SiteData.kept`
    digests: dict[tuple[bytes, ...], bytes] = _in_memory(default_factory=dict)  # parts -> digest, the last build's
    new_digests: dict[tuple[bytes, ...], bytes] = _in_memory(default_factory=dict)  # this build's (`digest_of`)

    def digest_of(self, *parts: bytes) -> bytes:
        """Return `digest(*parts)`, found among the last build's digests when it made the same one.

        `serve` digests each paper's file, view, paper and citation again after every edit, with the
        same parts for every paper but the edited one: 4,000 SHA-256 of a 1,000-paper site, against
        4,000 lookups of their parts (equal parts give the same digest by construction). Only the
        digests used by this build are kept for the next (`end_build`)."""
        found = self.new_digests.get(parts)
        if found is None:
            found = self.new_digests[parts] = self.digests.get(parts) or digest(*parts)
        return found

    def end_build(self) -> None:
        """Keep this build's digests for the next build, and only those."""
        self.digests, self.new_digests = self.new_digests, {}


IN_MEMORY = tuple(f for f in fields(Memo) if f.metadata.get("in_memory"))  # what `save_memo` leaves out

_NO_VIEW = b"no view"  # not 32 bytes: no view's digest

NO_READS: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset())


def layout_references(
    env: jinja2.Environment, layouts: Path, name: str, references: References
) -> tuple[str | None, ...] | None:
    """Return the layouts one layout references, parsing it unless `references` knows its bytes (and
    adding it there); None when it cannot be parsed (rendering will report it)."""
    key = digest(layout_key(layouts, name))
    found = references.get(key)
    if found is None:
        try:
            source = env.loader.get_source(env, name)[0]  # type: ignore[union-attr]
            found = tuple(jinja2.meta.find_referenced_templates(env.parse(source)))
        except jinja2.TemplateError:
            return None
        references[key] = found
    return found


@record(slots=True)
class Outcome:
    """What `render_changed` did: new bytes for rendered pages, the names of pages kept as they were."""

    files: dict[str, bytes]
    kept: set[str]
    records: dict[str, PageRecord]
    problems: list[Problem]
    extra: list[Any]
    staged: dict[str, bool] = field(default_factory=dict)  # name -> changed, for files already in `staging`


# The types of the objects that `Digests.known` holds: each is pickled as its digest in a page's context.
KNOWN_KINDS = (PaperView, Paper, Settings)


class Digests:
    """Digests of this build's inputs, each computed once."""

    def __init__(
        self,
        env: jinja2.Environment,
        layouts: Path,
        site: SiteView,
        views: dict[str, PaperView],
        memo: Memo,
        view_digests: dict[str, bytes] | None = None,
    ):
        self.env, self.layouts, self.references = env, layouts, memo.references
        self.known: dict[int, bytes] = {}
        self.view: dict[str, bytes] = {}
        view_digests = view_digests or {}
        for slug, view in views.items():
            # A digest of the view's inputs stands for the view (it is a function of them), else its bytes.
            found = view_digests.get(slug) or value_digest(view) or os.urandom(32)
            self.view[slug] = self.known[id(view)] = found
            self.known.setdefault(id(view.paper), memo.digest_of(b"paper", self.view[slug]))
        self.site = value_digest(site) or os.urandom(32)  # an undigestable site is new every build
        # A paper page's head tags hold the settings again: they stand for their digest, the site's.
        self.known[id(site.settings)] = self.site
        self.env_vars = digest(*(f"{k}={os.environ.get(k, '')}".encode() for k in ("SOURCE_DATE_EPOCH", "TZ")))
        self._sets: dict[str, bytes] = {}
        # A card is rendered again when its view, the site or either card layout changes.
        self.card_layouts = digest(
            b"card", code_digest(), self.site, self.template_set(CARD), self.template_set(COMPACT_CARD)
        )
        # Digests of contexts with no view in them, by their page's id: the last build's, and this one's.
        self.last_contexts: dict[int, tuple[Page, bytes]] = memo.contexts
        self.contexts: dict[int, tuple[Page, bytes]] = {}

    def template_set(self, name: str) -> bytes:
        """Return a digest of a layout and every layout it extends, includes or imports."""
        if name not in self._sets:
            self._sets[name] = digest(*(layout_key(self.layouts, n) for n in sorted(self._closure(name))))
        return self._sets[name]

    def _closure(self, name: str) -> set[str]:
        seen: set[str] = set()
        todo = [name]
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            referenced = layout_references(self.env, self.layouts, current, self.references)
            if referenced is None:
                continue  # rendering will report it; a missing layout is in the digest as missing
            if None in referenced:  # a computed template name: depend on every layout
                return {p.relative_to(self.layouts).as_posix() for p in self.layouts.rglob("*") if p.is_file()}
            todo += [r for r in referenced if r]
        return seen

    def page(self, page: Page) -> bytes | None:
        """Return a digest of everything a page's bytes depend on except the cards, or None if unknowable.

        The context is pickled in one pass, each view and paper in it written as its own digest. The
        digest of a context that holds no view, paper or settings is a function of the page object
        alone (contexts are never changed once made), so it is kept by the page for the next build in
        the same process to take (`browse_pages` gives `serve` the same pages again).
        """
        found = self.last_contexts.get(id(page))
        if found is not None and found[0] is page:
            context = found[1]
        else:
            stood: list[bytes] = []
            context = value_digest(page.context, self.known, KNOWN_KINDS, stood)
            if context is None:
                return None
            if stood:
                return self._page(page, context)
        self.contexts[id(page)] = (page, context)
        return self._page(page, context)

    def _page(self, page: Page, context: bytes) -> bytes:
        template = self.template_set(page.template)
        return digest(code_digest(), self.env_vars, self.site, template, page.path.encode(), context)

    def card(self, slug: str) -> bytes:
        """Return what stands for the inputs of a paper's cards (both kinds), which the memo keeps under
        its slug: the card layouts' digest and its view's, joined (both 32 bytes, so the join is
        unambiguous, and no hashing of 2,000 cards after each of `serve`'s edits)."""
        return self.card_layouts + self.view.get(slug, _NO_VIEW)


@record(slots=True)
class CardMemory:
    """What a build's `CardDigests` found, for the next build in the same process (`serve`) to trust."""

    reads: dict[tuple[frozenset[str], frozenset[str]], bytes]  # cards read by a page -> digest of their HTML
    html: tuple[dict[str, bytes], dict[str, bytes]]  # each kind's slug -> digest of that card's HTML
    every: bytes | None  # digest of every slug in site order, if a page read every card


_MISSING_CARD = digest(b"no such card")  # 32 bytes, as every card's digest


class CardDigests:
    """Digests of the cards' HTML, made when first asked for (rendering a card that is not remembered).

    A page depends on the HTML of the cards it reads, not on their inputs: an abstract edit changes the
    paper's full card but not its compact one, so the coauthor, year and tag pages that list only
    compact cards are not rendered again (43 coauthor pages for one of the default site's papers).

    With `last` (the previous build's `CardMemory`), a set of cards keeps its digest without hashing them
    all again when every card in it that is not remembered (rendered anew this build) has the HTML
    digest it had: a remembered card is the last build's very HTML, so the digest is a function of the
    same values. At 1,000 papers that saves `serve` hashing 300 card lists after each edit.
    """

    def __init__(self, cards: Cards, compact: Cards, last: CardMemory | None = None):
        self.kinds = (cards, compact)
        self.made: tuple[dict[str, bytes], dict[str, bytes]] = ({}, {})
        self._every: bytes | None = None
        self._read: dict[tuple[frozenset[str], frozenset[str]], bytes] = {}
        self.last = last
        self.remembered = (frozenset(cards.rendered), frozenset(compact.rendered))  # the memo's cards

    def read(self, cards: frozenset[str], compact: frozenset[str]) -> bytes:
        """Return a digest of the HTML of these cards of each kind (`*`: every card of that kind)."""
        key = (cards, compact)
        found = self._read.get(key)
        if found is None:
            found = self._read[key] = self._as_last(key) or self._digest(cards, compact)
        return found

    def memory(self) -> CardMemory:
        """Return what this build knows, for the next one: the last build's card digests still true, and its own."""
        last = self.last.html if self.last is not None else ({}, {})
        html = tuple(
            {**{slug: d for slug, d in last[n].items() if slug in self.remembered[n]}, **self.made[n]} for n in (0, 1)
        )
        # `_every` is made whenever a page that reads every card is looked at, so it is there when needed.
        return CardMemory(self._read, html, self._every)  # type: ignore[arg-type]

    def _as_last(self, key: tuple[frozenset[str], frozenset[str]]) -> bytes | None:
        """Return the last build's digest of these cards if it still holds, else None."""
        last = self.last
        found = last.reads.get(key) if last is not None else None
        if found is None or last is None:
            return None
        for number, slugs in enumerate(key):
            if "*" in slugs:
                if last.every is None or self._every_slug() != last.every:
                    return None
                slugs = frozenset(self.kinds[number].views) | slugs
            before = last.html[number]
            for slug in slugs - self.remembered[number]:
                if slug != "*" and (slug not in before or self._one(number, slug) != before[slug]):
                    return None
        return found

    def _digest(self, cards: frozenset[str], compact: frozenset[str]) -> bytes:
        parts = []
        for number, slugs in enumerate((cards, compact)):
            parts.append(b"kind %d" % number)
            if "*" in slugs:  # a page that walks every card reads the list of papers too
                parts.append(self._every_slug())
                slugs = frozenset(self.kinds[number].views) | slugs
            # One part per kind: a slug has no NUL and each card's digest is 32 bytes, so the join is unambiguous.
            one = self._one
            parts.append(b"".join([s.encode() + b"\0" + one(number, s) for s in sorted(slugs) if s != "*"]))
        return digest(*parts)

    def _one(self, number: int, slug: str) -> bytes:
        found = self.made[number].get(slug)
        if found is None:
            cards = self.kinds[number]
            last = self.last.html[number].get(slug) if self.last is not None else None
            if slug not in cards.views:
                found = _MISSING_CARD
            elif last is not None and slug in self.remembered[number]:
                # A remembered card is the last build's very HTML, whose digest the last build made: after
                # an abstract edit the home page's 1,000 cards are not hashed again for the one that changed.
                found = last
            else:
                try:
                    found = digest(cards.html(slug))
                except jinja2.TemplateError:
                    found = os.urandom(32)  # the page that reads it is rendered, and reports the error
            self.made[number][slug] = found
        return found

    def _every_slug(self) -> bytes:
        if self._every is None:
            self._every = digest(*(s.encode() for s in self.kinds[0].views))
        return self._every


@record(slots=True)
class RenderRun:
    """One build's rendering state, shared by the paper stage and the list pages: the layouts, the
    views, each kind of card (remembered or rendered this build), and what the last build left."""

    env: jinja2.Environment
    site: SiteView
    layouts: Path
    views: dict[str, PaperView]
    cards: Cards
    compact: Cards
    html: CardDigests
    memo: Memo | None = None
    existing: dict[str, FileStat] = field(default_factory=dict)
    staging: Staging | None = None
    digests: Digests | None = None  # with a memo only

    def kept_record(self, name: str, inputs: bytes | None) -> PageRecord | None:
        """Return the last build's record of a file when its inputs and the file are as it left them."""
        if self.memo is None or inputs is None:
            return None
        record = self.memo.pages.get(name)
        if record is None or record.inputs != inputs or record.stat is None or self.existing.get(name) != record.stat:
            return None
        return record if record.cards_html == self.html.read(record.cards, record.compact) else None

    def record(self, name: str, inputs: bytes, reads: tuple[frozenset[str], frozenset[str]] = NO_READS) -> PageRecord:
        """Return the record of a file made now from these inputs, having read these cards."""
        return PageRecord(inputs, *reads, self.html.read(*reads))


def start_render(
    env: jinja2.Environment,
    site: SiteView,
    layouts: Path,
    views: dict[str, PaperView],
    memo: Memo | None,
    existing: dict[str, FileStat],
    staging: Staging | None = None,
    view_digests: dict[str, bytes] | None = None,
) -> RenderRun:
    """Return the rendering state of a build: the remembered cards whose inputs are unchanged, and the
    layouts compiled here once, so forked workers do not each compile them."""
    digests = Digests(env, layouts, site, views, memo, view_digests) if memo is not None else None
    cards = Cards(env, views, _valid_cards(memo.cards, digests) if memo is not None and digests else None)
    compact = Cards(
        env, views, _valid_cards(memo.compact, digests) if memo is not None and digests else None, template=COMPACT_CARD
    )
    prepare_environment(env, site, cards, compact)
    if len(views) >= parallel.MIN_ITEMS or memo is None:
        for name in env.list_templates():
            if name.endswith(".html"):
                with contextlib.suppress(jinja2.TemplateError):  # the page that uses it reports the error
                    env.get_template(name)
    html = CardDigests(cards, compact, memo.card_digests if memo is not None and digests else None)
    return RenderRun(env, site, layouts, views, cards, compact, html, memo, existing, staging, digests)


def render_changed(
    run: RenderRun,
    pages: Sequence[Page],
    extra_tasks: Sequence[Callable[[], Any]] = (),
    fragments: Fragments | None = None,
) -> Outcome:
    """Render the pages whose inputs differ from the memo's record of the file now in the output folder.

    Without a memo every page is rendered and nothing is recorded (a cold build). `extra_tasks` run
    alongside the pages, on other cores when there are any; their results come back in `extra`.
    With a staging tree, pages and extra files are written there by whichever process makes them, and
    only their names come back (in `staged`), so memory does not grow with the site. Every card a page
    may read is already rendered (the paper stage made them), so workers only read them.
    """
    kept: set[str] = set()
    records: dict[str, PageRecord] = {}
    todo: list[Page] = list(pages)
    inputs: dict[str, bytes | None] = {}
    if run.digests is not None:
        todo = []
        for page in pages:
            name = Urls.output_file(page.path)
            inputs[name] = page_inputs = run.digests.page(page)
            record = run.kept_record(name, page_inputs)
            if record is not None:
                kept.add(name)
                records[name] = record
            else:
                todo.append(page)
    staging = run.staging
    sink = staging.put if staging is not None else None
    tasks = parallel.chunk_tasks(lambda batch: render_batch(run.env, batch, run.layouts, sink), todo, weight=_weight)
    fragments = fragments or Fragments()
    if staging is not None:
        extra_tasks = [partial(_stage_files, staging, task, fragments) for task in extra_tasks]
    else:
        extra_tasks = [partial(_collect_files, task, fragments) for task in extra_tasks]
    if staging is None and len(todo) < parallel.MIN_ITEMS:
        # Few pages and no staging tree (serve after an edit): the extra files are made here, so their
        # bytes need no pickling back from a worker, and no worker is started for a handful of pages.
        extra = [task() for task in extra_tasks]
        batches = [task() for task in tasks]
    else:
        small = len(todo) < parallel.MIN_ITEMS and len(run.views) < parallel.MIN_ITEMS
        results = parallel.run_tasks([*extra_tasks, *tasks], serial=small)
        extra, batches = results[: len(extra_tasks)], results[len(extra_tasks) :]
    for _files, made in extra:
        fragments.merge(made)
    extra = [files for files, _made in extra]
    files: dict[str, bytes] = {}
    staged: dict[str, bool] = {}
    problems: list[Problem] = []
    for out, reads, found in batches:
        (staged if staging is not None else files).update(out)
        problems += found
        for name, read in reads.items():
            page_inputs = inputs.get(name)
            if page_inputs is not None:
                records[name] = run.record(name, page_inputs, read)
    if staging is not None:
        for part in extra:
            staged.update(part)
        extra = []
    return Outcome(files, kept, records, problems, extra, staged)


# What rendering and writing a page costs besides its entries, in entries: about 50 us against 1-5 (a
# card spliced in; measured 2026-12-07 at 1,000 papers). Weighed as one entry, 263 small pages made one
# chunk as heavy as the home page's, and it ran alone at the end of the stage for 14 ms.
PAGE_WEIGHT = 16


def _weight(page: Page) -> int:
    """Return about how much rendering a page costs: `PAGE_WEIGHT`, plus one for each entry of its
    lists, and for a list of sections (tuples), one for each entry of each section's lists (the
    publications page lists every paper in four sections)."""
    weight = PAGE_WEIGHT
    for value in page.context.values():
        if isinstance(value, (list, tuple)):
            weight += len(value)
            if value and isinstance(value[0], tuple):
                weight += sum(len(part) for item in value for part in item if isinstance(part, (list, tuple)))
    return weight


def remember_cards(run: RenderRun) -> None:
    """Keep this build's cards in the memo, each under the digest of its inputs."""
    if run.memo is not None and run.digests is not None:
        digests = run.digests
        run.memo.cards = {slug: (digests.card(slug), card) for slug, card in run.cards.rendered.items()}
        run.memo.compact = {slug: (digests.card(slug), card) for slug, card in run.compact.rendered.items()}
        run.memo.card_digests = run.html.memory()
        run.memo.contexts = digests.contexts


def _stage_files(staging: Staging, task: Callable[[], Any], fragments: Fragments) -> tuple[dict[str, bool], dict]:
    """Run a task that makes files (a dict, or (name, bytes) pairs) and stage them here; return name ->
    changed, and the fragments the task made (for the main process to remember)."""
    return _with_fragments(fragments, lambda: staging.put_all(task()))


def _collect_files(task: Callable[[], Any], fragments: Fragments) -> tuple[dict[str, bytes], dict]:
    """Run a task that makes files (a dict, or (name, bytes) pairs); return them as a dict, and the
    fragments the task made."""
    return _with_fragments(fragments, lambda: dict(task()))


def _with_fragments(fragments: Fragments, run: Callable[[], Any]) -> tuple[Any, dict]:
    """Return `run()` with only the fragments made during it (a worker may run several tasks)."""
    saved, fragments.made = fragments.made, {}
    try:
        return run(), fragments.made
    finally:
        fragments.made = saved


def _valid_cards(remembered: dict[str, tuple[bytes, bytes]], digests: Digests) -> dict[str, bytes]:
    """Return the remembered cards whose inputs are unchanged."""
    return {
        slug: html
        for slug, (inputs, html) in remembered.items()
        if slug in digests.view and inputs == digests.card(slug)
    }


# The big parts of a memo, each stored in shards.
SHARDED = ("papers", "citations", "cards", "compact", "search", "feeds")
SHARDS = 16  # at most; a small site keeps each part in one file (see `shard_count`)


def shard_count(papers: int) -> int:
    """Return how many files each big part of a memo is kept in: one per 500 papers, at most `SHARDS`.

    More files mean less to rewrite after an edit but more to open on every build: the default
    site's memo in 16 files a part took 114 files and 0.18 s to write on this machine's disk.
    """
    return min(SHARDS, 1 + papers // 500)


def load_memo(store: Any, name: str) -> tuple[Memo, dict[str, frozenset]]:
    """Return the memo stored under `name` (empty if there is none) and what each stored shard held.

    The big parts are kept in up to `SHARDS` files each, so `save_memo` rewrites only the shards an edit
    changed: one paper's edit touches one shard of each, not the 140 MB of a 10,000-paper memo. Every
    entry is checked against its inputs when used (papers, views and citations are keyed by digests of
    their inputs, cards and pages carry them), so shards written by different builds mix safely.
    """
    head = store.load(name)
    if not isinstance(head, Memo):
        return Memo(), {}
    loaded: dict[str, frozenset] = {}
    for part in SHARDED:
        merged: dict = {}
        for number in range(min(head.shards, SHARDS)):
            shard = store.load(f"{name}-{part}-{number:02x}")
            if isinstance(shard, dict):
                merged.update(shard)
                loaded[f"{part}-{number:02x}"] = _signature(part, shard)
        setattr(head, part, merged)
    return head, loaded


def save_memo(store: Any, name: str, memo: Memo, loaded: dict[str, frozenset]) -> None:
    """Store the memo under `name`, writing only the shards whose entries differ from what was loaded."""
    count = shard_count(len(memo.papers))
    shards: dict[str, dict] = {f"{part}-{number:02x}": {} for part in SHARDED for number in range(count)}
    for part in SHARDED:
        for key, value in getattr(memo, part).items():
            shards[f"{part}-{_shard(key, count):02x}"][key] = value
    for label, shard in shards.items():
        if loaded.get(label) == _signature(label.rsplit("-", 1)[0], shard):
            continue
        store.save(f"{name}-{label}", shard)
    for label in loaded.keys() - shards.keys():  # the site shrank below a shard boundary
        store.delete(f"{name}-{label}")
    store.save(
        name,
        replace(
            memo,
            shards=count,
            # What only `serve` keeps, in memory: an environment could not even be pickled.
            **{f.name: f.default if f.default_factory is MISSING else f.default_factory() for f in IN_MEMORY},
            **{part: {} for part in SHARDED},
        ),
    )


def _shard(key: bytes | str, count: int) -> int:
    if isinstance(key, bytes):
        return key[0] % count if key else 0
    return zlib.crc32(key.encode()) % count


def _signature(part: str, shard: dict) -> frozenset:
    """Return what identifies a shard's content: its keys (digests of the values' inputs), or for cards
    each slug with the digest of its card's inputs."""
    if part in ("cards", "compact"):
        return frozenset((slug, value[0]) for slug, value in shard.items())
    return frozenset(shard)
