"""The paper stage: each paper's page, its three citation files and its two list cards, made together.

A worker takes a run of papers in site order and, for each one, makes its citation in every format,
renders the card and the compact card that list pages show, renders the paper's page, and writes the
page and `papers/<slug>/<key>.bib|.ris|.json` into the staging tree. Only the cards and the citations
go back to the main process (for the list pages and the site-wide export files); the pages and
citation files never do, so a 10,000-paper site is never in one process's memory.

With a memo (an incremental build), a paper whose cards and citation are remembered and whose page
and citation files are as the last build left them is not sent to a worker at all; one that is sent
gets made only what is missing, and an unchanged file is linked, not written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import field
from typing import Any

import jinja2

from . import parallel, urls
from .cache import code_digest, digest
from .citations import collapse
from .errors import Problem
from .exports import Citation, citation, citation_files, cite_paths, remembered_citations
from .incremental import PageRecord, RenderRun, Settled
from .index import SiteIndex
from .record import record
from .render import CARD, COMPACT_CARD, PAPER, paper_page, render_batch, template_problem
from .urls import Urls
from .views import split_sections

# From this many papers to make, the paper stage forks workers. A paper costs about 1.2 ms (its page, two
# cards, a citation, four files) against 0.1-0.5 ms for a list page, so fewer papers than list pages
# (`parallel.MIN_ITEMS`) pay for a fork: the default site's 37 papers took 44 ms on one core.
MIN_PAPERS = 16


@record(slots=True)
class PaperOutputs:
    """What the paper stage made: every paper's citation, its files (written, or their bytes), records."""

    citations: dict[str, Citation]
    files: dict[str, bytes] = field(default_factory=dict)  # new bytes, when there is no staging tree
    staged: dict[str, bool] = field(default_factory=dict)  # written to (or linked into) staging: name -> changed
    kept: set[str] = field(default_factory=set)  # left as they are (in place), to be linked (staging)
    records: dict[str, PageRecord] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


@record(slots=True)
class _Made:
    """One chunk's results, sent back from a worker."""

    cards: dict[str, bytes] = field(default_factory=dict)  # slug -> the card's UTF-8 HTML
    compact: dict[str, bytes] = field(default_factory=dict)
    citations: dict[str, Citation] = field(default_factory=dict)
    out: dict[str, Any] = field(default_factory=dict)  # name -> changed (staging) or bytes (no staging)
    kept: set[str] = field(default_factory=set)
    records: dict[str, PageRecord] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def make_paper_outputs(
    run: RenderRun,
    index: SiteIndex,
    keys: dict[str, str],
    remembered: dict[bytes, Citation] | None = None,
    paper_keys: dict[str, bytes] | None = None,
) -> PaperOutputs:
    """Make every paper's page, citation files, cards and citation; with a memo, only what changed.

    `keys`: each paper's citation key. `remembered` (citation digest -> Citation) is the memo's, and
    is replaced by the citations this build used. `paper_keys` (slug -> a key standing for the paper)
    saves digesting each paper again.
    """
    digest_of = run.memo.digest_of if run.memo is not None else digest
    cites, cite_digests = remembered_citations(index.papers, keys, remembered, paper_keys, digest_of)
    work = _PaperWork(run, index, keys, cites, cite_digests)
    outputs = PaperOutputs(cites)
    todo = []
    for paper in index.papers:
        names = work.settled_files(paper.slug)
        if names is None:
            todo.append(paper.slug)
        else:  # every file of this paper is as the last build left it
            outputs.kept.update(names)
            outputs.records.update((name, run.memo.pages[name]) for name in names)  # type: ignore[union-attr]
    tasks = parallel.chunk_tasks(work.make, todo, min_items=MIN_PAPERS)
    for made in parallel.run_tasks(tasks, serial=len(todo) < MIN_PAPERS):
        run.cards.rendered.update(made.cards)
        run.compact.rendered.update(made.compact)
        cites.update(made.citations)
        (outputs.staged if run.staging is not None else outputs.files).update(made.out)
        outputs.kept |= made.kept
        outputs.records.update(made.records)
        outputs.problems += made.problems
    if run.memo is not None:
        run.memo.settled = work.settled
    if remembered is not None:
        remembered.clear()
        remembered.update((cite_digests[slug], cite) for slug, cite in cites.items() if slug in cite_digests)
    outputs.citations = {p.slug: cites[p.slug] for p in index.papers if p.slug in cites}
    return outputs


class _PaperWork:
    """The work of the paper stage over a chunk of papers, run in a worker (which reads the build's
    state as it inherited it), or here when there is little to do."""

    def __init__(
        self,
        run: RenderRun,
        index: SiteIndex,
        keys: dict[str, str],
        cites: dict[str, Citation],
        cite_digests: dict[str, bytes],
    ):
        self.run, self.index, self.keys, self.cites, self.cite_digests = run, index, keys, cites, cite_digests
        self._page_base: bytes | None = None
        memo = run.memo
        self.last_settled: dict[str, Settled] = memo.settled if memo is not None else {}
        self.settled: dict[str, Settled] = {}  # the papers found settled now, for the next build

    def page_inputs(self, slug: str) -> bytes | None:
        """Return a digest of everything a paper's page reads, or None without a memo (`page_parts`)."""
        parts = self.page_parts(slug)
        return digest(*parts) if parts is not None else None

    def page_parts(self, slug: str) -> tuple[bytes, ...] | None:
        """Return what a paper's page reads, or None without a memo: the page layouts, the site, the
        paper's view and citation, and the views of its neighbours and related papers (each view's key
        stands for it: a view is a function of its key's inputs)."""
        digests, cite = self.run.digests, self.cite_digests.get(slug)
        if digests is None or cite is None:
            return None
        if self._page_base is None:  # what every paper page reads: the code, the layouts, the site
            self._page_base = digest(
                b"paper page", code_digest(), digests.template_set(PAPER), digests.site, digests.env_vars
            )
        newer, older = self.index.neighbours(slug)
        view = digests.view
        return (
            self._page_base,
            slug.encode(),
            cite,
            view[slug],
            view[newer.slug] if newer else b"",
            view[older.slug] if older else b"",
            *[view[related] for related in self.index.related.get(slug, ())],
        )

    def file_inputs(self, slug: str) -> bytes | None:
        """Return what a paper's citation files are made from: its citation's digest (None without a memo)."""
        cite = self.cite_digests.get(slug)
        return digest(b"citation files", cite) if cite is not None and self.run.digests is not None else None

    def settled_files(self, slug: str) -> list[str] | None:
        """Return the files of a paper that needs nothing made (cards and citation remembered, its page and
        citation files as the last build left them), or None.

        What the check reads is the parts of its page's input digest, the paper's citation key, and the
        records of its files with the stat of each file now. When `serve`'s last build found the paper
        settled and all of these are the same (the records the very objects it checked), the answer is
        the same without digesting the parts and comparing each record again: after an abstract edit,
        999 of 1,000 papers are answered so, in about a third of the time.
        """
        run = self.run
        if slug not in self.cites or slug not in run.cards.rendered or slug not in run.compact.rendered:
            return None
        parts = self.page_parts(slug)
        if parts is None:
            return None
        key = self.keys[slug]
        last = self.last_settled.get(slug)
        if last is not None and last.key == key and last.parts == parts and self._as_checked(last):
            self.settled[slug] = last
            return list(last.names)
        names = [Urls.output_file(urls.paper(slug))] + [path for _label, path in cite_paths(slug, key)]
        page, files = digest(*parts), self.file_inputs(slug)
        records = [run.kept_record(names[0], page)] + [run.kept_record(name, files) for name in names[1:]]
        if None in records:
            return None
        if not any(record.cards or record.compact for record in records):  # pages that read no cards only
            self.settled[slug] = Settled(parts, key, tuple(names), tuple(records))  # type: ignore[arg-type]
        return names

    def _as_checked(self, last: Settled) -> bool:
        """Return whether each file of a settled paper has the record it was checked with, and its stat."""
        pages, existing = self.run.memo.pages, self.run.existing  # type: ignore[union-attr]
        checked = zip(last.names, last.records, strict=True)
        return all(pages.get(name) is rec and existing.get(name) == rec.stat for name, rec in checked)

    def make(self, slugs: Sequence[str]) -> _Made:
        """Make everything of these papers that is not remembered."""
        made = _Made()
        run = self.run
        sink = self._sink(made)
        for slug in slugs:
            paper = self.index.by_slug[slug]
            cite = self.cites.get(slug)
            if cite is None:
                # A body without sections is all abstract: its plain text is the view's, made with it.
                known = collapse(run.views[slug].abstract_text) if not split_sections(paper.abstract)[1] else None
                cite = made.citations[slug] = citation(paper, self.keys[slug], known)
            for cards, into, layout in ((run.cards, made.cards, CARD), (run.compact, made.compact, COMPACT_CARD)):
                if slug not in cards.rendered:
                    try:
                        into[slug] = cards.html(slug)
                    except jinja2.TemplateError as error:
                        made.problems.append(template_problem(error, run.layouts, layout))
            page = paper_page(self.index, run.views, run.site, cite, paper)
            name, inputs = Urls.output_file(page.path), self.page_inputs(slug)
            if not self._keep(made, name, inputs):
                _out, reads, problems = render_batch(run.env, [page], run.layouts, sink)
                made.problems += problems
                if inputs is not None and name in reads:
                    made.records[name] = run.record(name, inputs, reads[name])
            inputs = self.file_inputs(slug)
            for file_name, data in citation_files(slug, cite):
                if not self._keep(made, file_name, inputs):
                    sink(file_name, data)
                    if inputs is not None:
                        made.records[file_name] = run.record(file_name, inputs)
        return made

    def _sink(self, made: _Made):
        """Return where a made file goes: the staging tree (its name comes back) or the result (its bytes)."""
        staging = self.run.staging

        def put(name: str, data: bytes) -> Any:
            value = staging.put(name, data) if staging is not None else data
            made.out[name] = value
            return value

        return put

    def _keep(self, made: _Made, name: str, inputs: bytes | None) -> bool:
        """Keep a file whose inputs and file are as the last build left them; return whether it was kept."""
        record = self.run.kept_record(name, inputs)
        if record is None:
            return False
        made.records[name] = record
        if self.run.staging is not None:
            self.run.staging.link(name)
            made.out[name] = False
        else:
            made.kept.add(name)
        return True
