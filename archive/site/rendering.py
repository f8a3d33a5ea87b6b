"""Rendering the page plan: every planned page, in every interface language, in forked workers.

Pelican renders every page one after the other in one process; at archive scale (tens of
thousands of documents, each also listed on collection, year, actor and location pages) that
is most of a build. Here the writer only plans each page while the generators run; once they
are done (`RenderPages`, the last generator before the static files), the planned pages are
split between forked workers. Forking shares the whole build state (content, templates,
indexes) with the workers without copying or pickling it, and every worker renders with
exactly the code and data a serial build would, so the output is the same byte for byte.
`PARALLEL_RENDER = {"workers": 1}` renders in the build's process.

The plan stays after the build, so a live site (archive/site/live.py) can render again just
the pages that show an edited document, with the context of the full build.

Every page is rendered once per interface language (archive/site/interface.py): the first
language's at the root, the others' through a Writer rooted in their folder (`es/`), with
the catalog of that language installed in the page's template environment. The page's
content objects, with their HTML, are the same for every language.

This is the engine's own writer, not a plugin: every build of the archive (`ArchiveBuild`)
renders through it, so no setting can leave a site without its interface languages.
"""

from __future__ import annotations

import functools
import gc
import os
import pickle
import shutil
import tempfile

from pelican import signals
from pelican.generators import Generator
from pelican.writers import Writer

from archive.model.problems import fail
from archive.site import theme_files
from archive.site.interface import interface_languages, use_language
from archive.site.pelican_internals import (
    ArchivePelican,
    forget_written_files,
    page_number,
    plan_written_page,
    with_template,
)
from archive.site.plan import PagePlan, PlannedPage
from archive.site.workers import FORK, failed, fork, parent_is_gone

DEFAULTS = {
    # Worker processes; 0 means one per core.
    "workers": 0,
    # Below this many pages, forking costs more than it saves: render in this process.
    "min_pages": 200,
}


def settings_of(settings: dict) -> dict:
    """The rendering settings (`PARALLEL_RENDER = {...}`) over their defaults."""
    options = {**DEFAULTS, **settings.get("PARALLEL_RENDER", {})}
    options["workers"] = options["workers"] or os.cpu_count() or 1
    return options


class PlanWriter(Writer):
    """A Writer that plans each `write_file` call's page, then renders the plan in workers.

    Every page asked for is a record of the build's page plan (archive/site/plan.py), which
    says what the page shows. So `rewrite` renders again the pages that show an edited
    document, for the live site (archive/site/live.py). (The archive's feeds are written by
    plugins/feeds, and only by builds with a public address, never by the live site.)
    """

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        self.pending: list[PlannedPage] = []
        self.plan: PagePlan | None = None
        self.rendered = False
        self.side_tasks: list = []
        # Pages kept from an earlier build (plugins/build_cache), offered each page first.
        self.reuse = None
        # The files written by the page being rendered (write_page), as Pelican reports them.
        self._now_writing: set[str] | None = None
        signals.content_written.connect(self._note_written)
        self.languages = interface_languages(self.settings)
        # The first language writes through this writer; each other one through its own.
        self.writers = {self.languages[0].code: super()}
        for language in self.languages[1:]:
            self.writers[language.code] = Writer(
                os.path.join(output_path, language.folder), settings=settings
            )

    def write_page(self, page: PlannedPage, language, kept=None) -> list[str]:
        """Render a planned page in one interface language; return the files it wrote.

        A list is written as several files (its pages); names are relative to the site.
        `kept`: files an earlier build wrote of the list's pages after the first, which
        show the same (by name, plugins/build_cache): their text is written again instead.
        """
        args, kwargs = page.call
        use_language(page.template.environment, self.settings, language)
        if kept:
            later = KeptLaterPages(page.template, kept, language)
            args, kwargs = with_template(args, kwargs, later)
        extra = language.page_context(page.name, self.languages)
        writer = self.writers[language.code]
        if language.folder:
            # Follow this writer when it moves (a live site points it at the swapped-in folder).
            writer.output_path = os.path.join(self.output_path, language.folder)
        self._now_writing = set()
        try:
            writer.write_file(*args, **kwargs, **extra)
            written = self._now_writing
        finally:
            self._now_writing = None
        return sorted(
            os.path.relpath(path, self.output_path).replace(os.sep, "/") for path in written
        )

    def _note_written(self, path, **_) -> None:
        """Pelican wrote a page's file (`content_written`): note it, if this writer is writing."""
        if self._now_writing is not None:
            self._now_writing.add(path)

    def write_all_languages(self, page: PlannedPage) -> list[str]:
        """Render a planned page in every interface language; return the files written."""
        return [f for language in self.languages for f in self.write_page(page, language)]

    def run_while_rendering(self, task) -> None:
        """Run `task` (no arguments) in this process while the workers render pages.

        This process only waits for its workers, so work that does not need the pages (such
        as an index built from the documents' data) costs no extra time there.
        """
        if self.rendered:
            task()
        else:
            self.side_tasks.append(task)

    def write_file(self, *args, **kwargs):
        """Plan the page (and, once the workers have run, write it at once)."""
        self.plan, page = plan_written_page(args, kwargs)
        if self.rendered:
            self.write_all_languages(page)
        else:
            self.pending.append(page)

    def rewrite(self, contents) -> list[str]:
        """Render again every page that shows the text of one of `contents`; return their files.

        For a content object whose text changed but whose metadata did not: its text is shown
        on the pages that declare it (archive/site/plan.py); lists of documents show titles,
        dates and sources, never the text.
        """
        self.forget_written_files()
        written = []
        for page in self.plan.showing_text_of(contents) if self.plan else ():
            written.extend(self.write_all_languages(page))
        return written

    def rewrite_named(self, name: str) -> list[str]:
        """Render the page written as `name` again (its context may have changed).

        Return the files written: the page in every interface language.
        """
        self.forget_written_files()
        written = []
        for page in self.plan.named(name) if self.plan else ():
            written.extend(self.write_all_languages(page))
        return written

    def forget_written_files(self) -> None:
        """Let every language's writer write its files again (Pelican refuses a second write)."""
        forget_written_files(self)
        for language in self.languages[1:]:
            forget_written_files(self.writers[language.code])

    def render_all(self) -> None:
        """Write every planned page, in worker processes when there are enough of them.

        A page is one task, in every interface language, so that whatever is worked out for
        it is worked out once; a list, which can run to hundreds of pages, is one task per
        language, so that no worker is left rendering one alone at the end. With a `reuse`
        (plugins/build_cache), each page is first offered to it, by the process that would
        render it: a page it restores from an earlier build is not rendered, and it is told
        afterwards what became of every page.
        """
        pending = []
        for page in sorted(self.pending, key=lambda page: -page.listed):
            if page.listed:
                pending += [(page, (language,)) for language in self.languages]
            else:
                pending.append((page, self.languages))
        self.pending, self.rendered = [], True
        tasks, self.side_tasks = self.side_tasks, []
        options = settings_of(self.settings)
        workers = min(options["workers"], max(1, len(pending)))
        if workers == 1 or len(pending) < options["min_pages"]:
            outcomes = [self._restore_or_write(*task) for task in pending]
            for task in tasks:
                task()
        else:
            outcomes = self._fork_workers(pending, tasks, workers)
        if self.reuse is not None:
            for (page, languages), in_languages in zip(pending, outcomes, strict=True):
                for language, outcome in zip(languages, in_languages, strict=True):
                    self.reuse.record(page, language.folder, *outcome)

    def _restore_or_write(self, page: PlannedPage, languages) -> list[list]:
        """Restore a planned page through `reuse`, or render it, in each of `languages`.

        Returns what `reuse` is told of it in each: [fingerprints, files, restored].
        """
        outcomes = []
        for language in languages:
            shown, files, kept = (
                (None, None, None)
                if self.reuse is None
                else self.reuse.offer(page, language.folder, self.output_path)
            )
            restored = files is not None
            if not restored:
                files = self.write_page(page, language, kept)
            outcomes.append([shown, files, restored])
        return outcomes

    def _fork_workers(self, pending: list, tasks: list, workers: int) -> list:
        """Share `pending` between forked workers, run `tasks` meanwhile, wait for all.

        Each worker takes the next page not yet taken until none is left (a page can take a
        hundred times longer than another) and reports what it did with each, and what
        `reuse` has to report. Returns the outcomes of `_restore_or_write`, in the order of
        `pending`.
        """
        # The workers inherit the whole build state. Frozen, it is never scanned by their
        # garbage collector, whose bookkeeping would otherwise write to (and so copy) every
        # inherited page of memory in every worker.
        gc.freeze()
        reports = tempfile.mkdtemp(prefix="archive-render-")
        taken = FORK.Value("q", 0)  # shared with the workers: the next page to take
        build = os.getpid()
        try:
            children = [
                fork(
                    functools.partial(
                        _work, self, pending, taken, os.path.join(reports, str(index)), build
                    )
                )
                for index in range(workers)
            ]
            try:
                for task in tasks:
                    task()
            finally:
                stopped = failed(children)
                gc.unfreeze()
            if stopped:
                fail(
                    "theme",
                    None,
                    f"{len(stopped)} of {workers} page-rendering workers failed",
                    "see the error printed above; run with PARALLEL_RENDER = "
                    "{'workers': 1} to render in one process",
                )
            outcomes = [None] * len(pending)
            for index in range(workers):
                with open(os.path.join(reports, str(index)), "rb") as handle:
                    done, reused = pickle.load(handle)
                for position, outcome in done:
                    outcomes[position] = outcome
                if self.reuse is not None:
                    self.reuse.gather(reused)
            return outcomes
        finally:
            shutil.rmtree(reports, ignore_errors=True)


class KeptLaterPages:
    """A page's template that gives the pages of its list after the first their kept text.

    Pelican's `write_file` renders every page of a list; where an earlier build's text of a
    page after the first still holds (`kept`, by file name relative to the site), rendering
    it again would give the same text.
    """

    def __init__(self, template, kept: dict[str, str], language):
        self.template, self.kept, self.folder = template, kept, language.folder

    def render(self, localcontext: dict) -> str:
        """The kept text of a page after the first, else the page rendered."""
        if page_number(localcontext) > 1:
            name = localcontext["output_file"]
            path = self.kept.get(f"{self.folder}/{name}" if self.folder else name)
            if path is not None:
                with open(path, encoding="utf-8") as handle:
                    return handle.read()
        return self.template.render(localcontext)

    def __getattr__(self, name):
        return getattr(self.template, name)


def _work(writer: PlanWriter, pending: list, taken, report: str, build: int) -> None:
    """In a forked worker: restore or write pages not yet taken, then report.

    The report (a pickle) lists what became of each page the worker took, by position,
    and holds what the writer's `reuse` reports. A worker whose build (pid `build`) died
    stops: the next build writes into the same staging folder.
    """
    done = []
    while not parent_is_gone(build):
        with taken.get_lock():
            position = taken.value
            taken.value += 1
        if position >= len(pending):
            break
        done.append((position, writer._restore_or_write(*pending[position])))
    reused = writer.reuse.report() if writer.reuse is not None else None
    with open(report, "wb") as handle:
        pickle.dump((done, reused), handle, protocol=pickle.HIGHEST_PROTOCOL)


class RenderPages(Generator):
    """The last page generator: it has the planned pages rendered (see ArchiveBuild).

    Then it copies the theme's files, under the names those pages give them.
    """

    def generate_context(self):
        """Nothing to read."""

    def generate_output(self, writer):
        """Render every page planned so far; publish the theme's files they name."""
        writer.render_all()
        self.settings["THEME_FILES"].write(self.output_path)


class ArchiveBuild(ArchivePelican):
    """A build of the archive: Pelican, rendering its page plan with the engine's writer.

    Every build publishes the theme's files under content-hashed names
    (archive/site/theme_files.py), so that no site has a stylesheet that cannot change
    under its name.
    """

    writer_class = PlanWriter
    render_generator = RenderPages

    def __init__(self, settings: dict):
        super().__init__(theme_files.declare(settings))
