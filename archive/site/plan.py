"""The page plan: every page a build writes, and what of the archive each one shows.

A page is planned once, by the code that decides it, with a declaration of what it shows
(`Shows`): the documents whose text it shows, the lists of documents it shows, the terms
whose counts it shows, and what only the first page of its list shows. Whatever else shows
something on a page it did not plan — related documents on a document's page, a map on a
place's page — declares it where it decides it, for the page's subject (`PagePlan.add`).

Everything that must know what a page shows reads the plan and only the plan: the deploy
cache fingerprints a page from its declaration (plugins/build_cache/dependencies.py) and
the live site rewrites the pages that show an edited document's text (archive/site/live.py).
Nothing is inferred from the shape of a call or from an attribute's name: a document that
reaches a page's template without being declared is not part of its fingerprint, and a
page type that forgets to declare one is stale after a deploy (tests/test_page_plan.py
shows both).

Pelican's own pages (documents, collections, years, the home page) are planned through its
Writer.write_file; archive/site/pelican_internals.py translates those calls into records, in
one place. Pelican stays the content loader, URL calculator and paginator.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

#: The key of the build's plan in Pelican's shared context (`PagePlan.of`).
CONTEXT_KEY = "PAGE_PLAN"


@dataclass(frozen=True)
class Shows:
    """What a page shows of the archive, declared where the page is planned.

    Attributes:
        text: documents whose whole source and rendered text the page shows.
        lists: lists of documents the page shows, each in its order, as a list shows a
            document: its front matter and its address (never its text).
        counted: terms (actors, places) whose address, document count and documents the
            page shows.
        first_page: what only the first page of a list shows, beyond the rest (a place's
            map); None when every page of it shows the same.
        everything: the page shows what a list shows of every document (indexes, filters).
    """

    text: Sequence = ()
    lists: Sequence[Sequence] = ()
    counted: Sequence = ()
    first_page: Shows | None = None
    everything: bool = False

    def __or__(self, other: Shows) -> Shows:
        """What two declarations show together."""
        first = self.first_page or other.first_page
        if self.first_page and other.first_page:
            first = self.first_page | other.first_page
        return Shows(
            text=[*self.text, *other.text],
            lists=[*self.lists, *other.lists],
            counted=[*self.counted, *other.counted],
            first_page=first,
            everything=self.everything or other.everything,
        )

    def later_pages(self) -> Shows:
        """What the pages of a list after the first show."""
        return replace(self, first_page=None)


#: A page that shows nothing of the documents (the 404 page, a page of the site's own).
NOTHING = Shows()


@dataclass
class PlannedPage:
    """One page of the build: how Pelican's writer renders it, and what it shows.

    Attributes:
        name: the output file, relative to the site's root (of one interface language).
        template: the Jinja template that renders it.
        call: the arguments of Pelican's `Writer.write_file` that render it.
        subject: what the page is about (a document, a term), or None.
        shows: what it shows of the archive (its own declaration and the additions
            declared for its subject).
        listed: how many items it lists over its pages (0: not a list).
    """

    name: str
    template: object
    call: tuple[tuple, dict]
    subject: object = None
    shows: Shows = NOTHING
    listed: int = 0


@dataclass
class PagePlan:
    """The pages of one build, and what is declared to be shown with each subject."""

    pages: list[PlannedPage] = field(default_factory=list)
    #: Declarations of the pages about to be written, by output name.
    declared: dict[str, tuple[object, Shows]] = field(default_factory=dict)
    #: Additions by subject (its id): what a page about it shows, beyond its planner's.
    additions: dict[int, tuple[object, Shows]] = field(default_factory=dict)

    @classmethod
    def of(cls, context: dict) -> PagePlan:
        """The plan of the build whose shared context is `context` (made on first use)."""
        plan = context.get(CONTEXT_KEY)
        if plan is None:
            plan = context[CONTEXT_KEY] = cls()
        return plan

    def declare(self, name: str, subject, shows: Shows) -> None:
        """The page about to be written as `name` is about `subject` and shows `shows`."""
        self.declared[name] = (subject, shows)

    def add(self, subject, shows: Shows) -> None:
        """A page about `subject` also shows `shows` (declared by what puts it there)."""
        kept = self.additions.get(id(subject))
        self.additions[id(subject)] = (subject, kept[1] | shows if kept else shows)

    def declaration(self, name: str) -> tuple[object, Shows] | None:
        """The declaration made for the page `name` by its planner (taken once), or None."""
        return self.declared.pop(name, None)

    def with_additions(self, subject, shows: Shows) -> Shows:
        """`shows`, with what was declared to be shown with `subject`."""
        added = self.additions.get(id(subject)) if subject is not None else None
        return shows | added[1] if added else shows

    def showing_text_of(self, contents: Sequence) -> list[PlannedPage]:
        """The planned pages that show the text of one of `contents`."""
        wanted = {id(content) for content in contents}
        return [page for page in self.pages if any(id(c) in wanted for c in page.shows.text)]

    def named(self, name: str) -> list[PlannedPage]:
        """The planned pages written as `name`."""
        return [page for page in self.pages if page.name == name]


def plan_page(writer, shows: Shows, name: str, template, context: dict, *args, **kwargs):
    """Plan a page that shows `shows`: `Writer.write_file(name, template, context, …)`.

    The keyword `subject` (not passed on) names what the page is about, for the additions
    declared with it (`PagePlan.add`).
    """
    PagePlan.of(context).declare(name, kwargs.pop("subject", None), shows)
    writer.write_file(name, template, context, *args, **kwargs)
