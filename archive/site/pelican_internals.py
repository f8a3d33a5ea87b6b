"""Everything the archive takes from Pelican beyond its plugin API, behind named functions.

Pelican's signals, settings and public attributes carry most of the build. Speed (parallel
reading and rendering) and the live site (rewriting one page after an edit) need a few
details Pelican does not promise to keep: each is used here and only here, with a docstring
saying exactly what it relies on. `tests/test_pelican_internals.py` checks every one of them
against the installed Pelican, so an upgrade that removes one fails there, loudly, instead of
breaking live editing or collection pages in silence. Pelican is pinned to the minor version
these were checked with (pyproject.toml); `make test-pelican-latest` tries the newest one.
"""

from __future__ import annotations

import functools
import logging
import os

from pelican import Pelican, signals
from pelican.generators import ArticlesGenerator, StaticGenerator

from archive.site.plan import PagePlan, PlannedPage, Shows
from archive.site.workers import fork

#: The start of the message Pelican logs when a reader raised on a source file.
COULD_NOT_PROCESS = "Could not process"

#: Arguments Pelican passes to its list pages that the theme never shows: every article, to
#: each collection and year page (tests/test_build_cache.py checks no template names them).
NEVER_SHOWN = ("all_articles",)

#: Content lists of Pelican's article and page generators (attributes of the generators).
CONTENT_LISTS = ("articles", "drafts", "hidden_articles", "pages", "hidden_pages", "draft_pages")


def is_could_not_process(record: logging.LogRecord) -> bool:
    """Whether `record` is Pelican's "Could not process <file>" after a reader raised.

    Relies on ArticlesGenerator/PagesGenerator.generate_context logging exactly that text
    (as the record's unformatted `msg`) when `Readers.read_file` raises.
    """
    return str(record.msg).startswith(COULD_NOT_PROCESS)


def failed_sources(context: dict) -> list[str]:
    """Source paths Pelican gave up on (relative to PATH), sorted.

    Relies on Generator._add_failed_source_path recording a failed file as
    `context["generated_content"][path] = None`.
    """
    return sorted(path for path, content in context["generated_content"].items() if content is None)


def content_read_from(context: dict, relative: str):
    """The content object Pelican read from `relative` (a path under PATH), or None.

    Relies on generators recording every content they read in
    `context["generated_content"]` under its posix path relative to PATH (what `{filename}`
    links resolve against).
    """
    return context["generated_content"].get(relative)


def forget_written_files(writer) -> None:
    """Let `writer` write again files it already wrote in this build (a live update).

    Relies on Writer keeping the sets `_written_files` and `_overridden_files`, which it
    checks to refuse (warn about) a second write of one file.
    """
    writer._written_files.clear()
    writer._overridden_files.clear()


def plan_written_page(args: tuple, kwargs: dict) -> tuple[PagePlan, PlannedPage]:
    """Add a `Writer.write_file(name, template, context, …)` call's page to its build's plan.

    Returns the plan (found in the call's context) and the page's record.

    A page planned with archive.site.plan.plan_page carries its planner's declaration.
    Pelican's own pages are translated here, and only here: a document's page (`article=`,
    `page=`) shows its text and its other versions; a list (`articles=`, `dates=`: the
    home, collection and year pages) shows those lists (not NEVER_SHOWN's); any other
    page of Pelican's (a direct template:
    the collections index, the archive's index) is given the whole context and so is taken
    to show every document. The additions declared for a page's subject are added.

    Relies on Writer.write_file taking (name, template, context) first, and on
    ArticlesGenerator and PagesGenerator passing the content they render on its own page
    as the keyword `article=` or `page=` (and nothing else passing those keywords).
    """
    name = kwargs["name"] if "name" in kwargs else args[0]
    template = kwargs["template"] if "template" in kwargs else args[1]
    plan = PagePlan.of(kwargs["context"] if "context" in kwargs else args[2])
    declared = plan.declaration(name)
    subject, shows = declared if declared is not None else _shown_by_pelicans_page(kwargs)
    page = PlannedPage(
        name=name,
        template=template,
        call=(args, kwargs),
        subject=subject,
        shows=plan.with_additions(subject, shows),
        listed=_paginated_length(kwargs),
    )
    plan.pages.append(page)
    return plan, page


def _shown_by_pelicans_page(kwargs: dict) -> tuple[object, Shows]:
    subject = kwargs.get("article") or kwargs.get("page")
    if subject is not None:
        return subject, Shows(text=[subject], lists=[getattr(subject, "translations", [])])
    lists = [kwargs[key] for key in ("articles", "dates") if kwargs.get(key) is not None]
    return None, Shows(lists=lists) if lists else Shows(everything=True)


def _paginated_length(kwargs: dict) -> int:
    """How many items a `write_file` call lists over its pages (0: not a list).

    Relies on Writer.write_file paginating its keyword `paginated`, or else the keywords
    `articles` and `dates` it was given.
    """
    lists = kwargs.get("paginated")
    if lists is None:
        lists = {key: kwargs[key] for key in ("articles", "dates") if key in kwargs}
    return max((len(items) for items in lists.values() if items is not None), default=0)


def with_template(args: tuple, kwargs: dict, template) -> tuple[tuple, dict]:
    """A recorded `write_file` call's arguments with `template` in place of its own."""
    if "template" in kwargs:
        return args, {**kwargs, "template": template}
    return (args[0], template, *args[2:]), kwargs


def page_number(localcontext: dict) -> int:
    """Which page of its list `Writer.write_file` is rendering (1 for a page not in a list).

    Relies on write_file giving each page of a paginated list its Paginator as the keyword
    `<list>_paginator` and its Page, with its `number`, as `<list>_page` (`articles_page`),
    and on the template being rendered with `template.render(localcontext)` alone.
    """
    for key in localcontext:
        if key.endswith("_paginator"):
            return localcontext[key.removesuffix("_paginator") + "_page"].number
    return 1


def content_html(content) -> str:
    """The HTML a reader produced for a content object, before Pelican's link rewriting.

    Relies on Content keeping the reader's HTML as `_content`.
    """
    return content._content


def replace_content_html(content, html: str) -> None:
    """Give a content object new HTML from its reader, as if it had been read so.

    Relies on Content keeping the reader's HTML as `_content`, and on `get_content` and
    `get_summary` being `pelican.utils.memoized` methods whose shared `cache` dict is keyed
    by argument tuples starting with the content object.
    """
    content._content = html
    for method in (content.get_content, content.get_summary):
        for key in [key for key in method.cache if key[0] is content]:
            del method.cache[key]


def links_resolved(content, html: str, siteurl: str) -> str:
    """`html` of `content` with its link placeholders ({filename}, {static}…) resolved.

    For a page whose way to the site's root is `siteurl` (RELATIVE_URLS: "..", "../..").
    Relies on Content._update_content(html, siteurl), which Pelican applies to a content's
    text for each page it is shown on, but to a summary only once, for the site's root.
    """
    return content._update_content(html, siteurl)


def freeze_url(content) -> None:
    """Compute a content object's URL and file name once instead of on every access.

    Relies on Content.url / Content.save_as returning `override_url` / `override_save_as`
    when those attributes exist (they are what a `url:`/`save_as:` metadata field sets).
    """
    content.override_url = content.url
    content.override_save_as = content.save_as


def replace_category_lists(generator, wrap) -> None:
    """Replace each collection's list of articles by `wrap(list)` (same items, same order).

    Relies on ArticlesGenerator.categories being, after generate_context, a list of
    (Category, list of articles) pairs that the collection pages are written from.
    """
    if isinstance(generator, ArticlesGenerator):
        generator.categories[:] = [
            (category, wrap(items)) for category, items in generator.categories
        ]


def list_as_translations(generator, translations: list) -> None:
    """Treat `translations` as Pelican treats translations: own pages, but in no list.

    Relies on ArticlesGenerator keeping, after generate_context, `articles` and `dates`
    (lists, also in its context under those names) and `categories` ((Category, articles)
    pairs), from which it writes the home, year and collection pages, and on it writing the
    page of every article in `articles` and in `translations`. The lists are changed in
    place, so the context sees the same objects.
    """
    hidden = {id(article) for article in translations}
    for name in ("articles", "dates"):
        items = getattr(generator, name)
        items[:] = [article for article in items if id(article) not in hidden]
    generator.categories[:] = [
        (category, [a for a in items if id(a) not in hidden])
        for category, items in generator.categories
    ]
    generator.translations.extend(translations)


def reading_is_cached(readers, path: str) -> bool:
    """Whether Readers.read_file will take the reading of `path` from Pelican's content cache.

    Relies on Readers (a FileStampDataCacher) answering `get_cached_data(path, default)` with
    the cached (content, metadata) only while the file's stamp is the cached one, under the
    absolute path read_file looks it up by.
    """
    return readers.get_cached_data(path, (None, None))[0] is not None


def stamp_each_file_once(cacher, stamps: dict) -> None:
    """Have a Pelican content cache hash each source file once per build.

    With CHECK_MODIFIED_METHOD a hash, Pelican hashes a file each time one of its caches (a
    caching generator's, its readers') is asked for it or filled with it: four times per
    document per build. The hashes are kept in `stamps`, by path, while the file's size,
    modification time and inode stay the same.

    Relies on FileStampDataCacher (which CachingGenerator and Readers are) computing every
    stamp through its attribute `_filestamp_func`, set in its __init__.
    """
    stamp = getattr(cacher, "_filestamp_func", None)
    if stamp is not None and stamp is not os.path.getmtime:
        cacher._filestamp_func = functools.partial(_stamp_once, stamp, stamps)


def save_readings_aside(readers, saving: list, unsaved: tuple[str, ...] = ()) -> None:
    """Have a generator's readers save their content cache in a forked process.

    The `unsaved` settings are left out of it: each reading's category holds the build's
    settings, and a pickle of a reading pickles them, with whatever state a build keeps there
    (the deploy cache's of the last build, with its list entries of documents since withdrawn).

    A generator saves what its readers read (a pickle of every document's reading) as soon
    as it has read every file, in the build's process, before the rest of the build. A
    process forked at that moment saves the same state, beside the build; its pid is added
    to `saving` (wait for it before the next build reads the cache). It writes beside the
    cache and renames its file over it once complete: a build killed meanwhile leaves the
    last complete cache, and the next build never reads a half-written one.
    Relies on ArticlesGenerator and PagesGenerator calling `self.readers.save_cache()`
    once generate_context has read its files, and on FileDataCacher saving to the path in
    its attribute `_cache_path`.
    """
    if not hasattr(os, "fork"):
        return
    save = readers.save_cache

    def save_then_rename():  # in the saving process
        for name in unsaved:
            readers.settings.pop(name, None)
        final = readers._cache_path
        readers._cache_path = f"{final}.saving"
        save()
        if os.path.exists(readers._cache_path):
            os.replace(readers._cache_path, final)

    readers.save_cache = lambda: saving.append(fork(save_then_rename))


def _stamp_once(stamp, stamps: dict, filename: str):
    found = os.stat(filename)
    key = (found.st_size, found.st_mtime_ns, found.st_ino)
    kept = stamps.get(filename)
    if kept is None or kept[0] != key:
        kept = stamps[filename] = (key, stamp(filename))
    return kept[1]


def enable_reader(readers, extension: str) -> None:
    """Forget Pelican's disabled reader for `extension` once ours reads it.

    Relies on Readers keeping readers whose library is missing (Python-Markdown) in the dict
    `disabled_readers`, which makes generators warn about every file with that extension.
    """
    readers.disabled_readers.pop(extension, None)


def article_files(generator) -> list[str]:
    """The article files (relative to PATH) in the order the generator will read them.

    Relies on ArticlesGenerator.generate_context iterating `get_files(ARTICLE_PATHS,
    exclude=ARTICLE_EXCLUDES)`, whose set order is the same for the same files within one
    process.
    """
    settings = generator.settings
    return list(
        generator.get_files(settings["ARTICLE_PATHS"], exclude=settings["ARTICLE_EXCLUDES"])
    )


def read_again(generator, relative: str, content_class, preread_signal, context_signal):
    """Read one source file again, exactly as the generator read it the first time.

    Relies on the argument names of Readers.read_file as ArticlesGenerator and
    PagesGenerator call it in generate_context.
    """
    return generator.readers.read_file(
        base_path=generator.path,
        path=relative,
        content_class=content_class,
        context=generator.context,
        preread_signal=preread_signal,
        preread_sender=generator,
        context_signal=context_signal,
        context_sender=generator,
    )


class ArticlesInLinearTime(ArticlesGenerator):
    """Pelican's ArticlesGenerator, with its year archives listed in linear time.

    Pelican lists a year's articles by testing each article of the archive for membership in
    the year's list, which takes time in the square of the archive's size: 1 s at 10,000
    documents, minutes at 100,000. Here Pelican builds the archives with no articles to
    test, and each year's are then picked by identity, which is what Pelican's test amounts
    to (content objects have no equality of their own), in the same order.

    Relies on ArticlesGenerator._build_period_archives(sorted_articles, articles, settings)
    returning, per granularity, dicts whose "dates" are the period's articles by date and
    whose "articles" are those of `articles` among them.
    """

    def _build_period_archives(self, sorted_articles, articles, settings):
        archives = super()._build_period_archives(sorted_articles, [], settings)
        for periods in archives.values():
            for period in periods:
                listed = {id(article) for article in period["dates"]}
                period["articles"] = [a for a in articles if id(a) in listed]
        return archives


class ArchivePelican(Pelican):
    """Pelican, with the archive's engine, keeping its generators and writer for later updates.

    Its article generator is ArticlesInLinearTime; its writer is `writer_class`, and the
    generator `render_generator` runs after every other page generator, before Pelican's
    static files: the engine's (archive/site/rendering.py::ArchiveBuild sets them). The
    generators are kept from the public all_generators_finalized signal, for a live site.
    Relies on Pelican._get_generator_classes listing ArticlesGenerator and StaticGenerator
    themselves, and on Pelican.run obtaining its writer from `Pelican._get_writer()`.
    """

    #: The writer class of the build, and the generator that renders what it was given
    #: (set by the engine's subclass, which this module cannot import).
    writer_class: type
    render_generator: type
    generators: list = []
    writer = None

    def run(self):
        """Run the build, keeping the generators Pelican made for it."""

        def keep(generators):
            self.generators = generators

        signals.all_generators_finalized.connect(keep)
        try:
            super().run()
        finally:
            signals.all_generators_finalized.disconnect(keep)

    def _get_generator_classes(self):
        found = [
            ArticlesInLinearTime if generator is ArticlesGenerator else generator
            for generator in super()._get_generator_classes()
        ]
        static = found.index(StaticGenerator)
        return [*found[:static], self.render_generator, *found[static:]]

    def _get_writer(self):
        self.writer = self.writer_class(self.output_path, settings=self.settings)
        return self.writer
