"""Pelican plugin: documents are Markdown with YAML front matter, rendered by markdown-it-py.

It replaces Python-Markdown for .md files (reader.py, reading.py for parallel reading) and
makes the build strict (checks.py): Pelican logs a file it cannot read and carries on without
it, which for an archive means a document silently missing from the published site. Here
every such file stops the build with the editor's fix. It also decides, once, which articles
are documents, for every other plugin.
"""

from __future__ import annotations

from pelican import signals

from archive.model.documents import Document
from archive.model.problems import ArchiveError
from archive.model.translations import link_translations, page_versions
from archive.site.interface import interface_languages
from archive.site.pelican_internals import (
    CONTENT_LISTS,
    freeze_url,
    list_as_translations,
    replace_category_lists,
)
from archive.site.plan import PagePlan, Shows

from .checks import refuse_failed_sources, refuse_linked_folders
from .reader import add_reader, forget_python_markdown
from .reading import read_documents_in_parallel, stop_reading


def freeze_urls(generators):
    """Compute each page's URL once: Pelican re-derives it from settings on every access.

    A document is linked from its collection, year, actor and location pages, so a large
    archive would otherwise format the same URLs hundreds of thousands of times.
    """
    for generator in generators:
        for name in CONTENT_LISTS:
            for content in getattr(generator, name, ()):
                freeze_url(content)


class _Members(list):
    """A list of content objects whose `in` is a set lookup.

    Pelican's content objects compare by identity, so the answers are the same.
    """

    def __init__(self, items):
        super().__init__(items)
        self._ids = {id(item) for item in items}

    def __contains__(self, item) -> bool:
        return id(item) in self._ids


def index_collections(generators):
    """Make "is this document in this collection?" a set lookup instead of a list scan.

    Pelican writes each collection's page after asking that of every document in the
    archive, against the collection's list: quadratic in the number of documents.
    """
    for generator in generators:
        replace_category_lists(generator, _Members)


def is_document(content) -> bool:
    """Which Pelican contents are archived documents (read by our reader), not pages."""
    return isinstance(getattr(content, "document", None), Document)


def list_documents(generator):
    """Decide once, for every plugin and template, which articles are documents.

    `context["published_documents"]`: the published ones, newest first (ARTICLE_ORDER_BY);
    `context["unpublished_documents"]`: drafts and hidden ones, which still get their own
    pages and so their subjects and citations;
    `context["listed_documents"]`: what lists show, one version per report
    (archive/model/translations.py): the published documents less the other versions of a report,
    which Pelican then treats as translations: their own pages, but in none of its lists;
    `context["withdrawn_documents"]`: the withdrawn ones, newest withdrawal first, whose
    pages carry only their notice: no plugin describes, indexes or links them.
    """
    published = [a for a in generator.articles if is_document(a)]
    listed = link_translations(published, generator.settings["DEFAULT_LANG"])
    hidden = [a for a in generator.drafts + generator.hidden_articles if is_document(a)]
    generator.context["published_documents"] = published
    generator.context["listed_documents"] = listed
    generator.context["unpublished_documents"] = [a for a in hidden if not a.document.withdrawn]
    generator.context["withdrawn_documents"] = sorted(
        (a for a in hidden if a.document.withdrawn),
        key=lambda a: (-a.document.withdrawn.date.toordinal(), a.source_path),
    )
    if len(listed) < len(published):
        shown = {id(article) for article in listed}
        list_as_translations(generator, [a for a in published if id(a) not in shown])


def show_page_versions(generator):
    """Give each page of the archive its versions in the other interface languages.

    `context["page_versions"]`: a page's slug -> {language: the Pelican page of its
    version}; theme/templates/page.html shows a reader of that language the version, at the
    page's own address in the language's folder (es/about.html), and the menu its title. A
    version is written nowhere of its own: it leaves Pelican's hidden pages here. The page
    declares that it shows its versions' text, so a deploy renders it again when one changes.
    """
    contents = generator.pages + generator.hidden_pages
    model = {id(content.metadata["page"]): content for content in contents}
    languages = [language.code for language in interface_languages(generator.settings)[1:]]
    versions, problems = page_versions(
        [content.metadata["page"] for content in contents],
        lambda page: model[id(page)].slug,
        languages,
    )
    if problems:
        raise ArchiveError(problems)
    translated = {c.slug: c for c in contents if not c.metadata["page"].translation_of}
    shown = {}
    for slug, by_language in versions.items():
        pages = {language: model[id(page)] for language, page in by_language.items()}
        for version in pages.values():
            generator.hidden_pages.remove(version)
        shown[slug] = pages
        PagePlan.of(generator.context).add(translated[slug], Shows(text=list(pages.values())))
    generator.context["page_versions"] = shown


def register():
    """Connect to Pelican: add the reader, then check what was read before writing."""
    signals.initialized.connect(refuse_linked_folders)
    signals.readers_init.connect(add_reader)
    signals.generator_init.connect(forget_python_markdown)
    signals.article_generator_init.connect(read_documents_in_parallel)
    signals.article_generator_finalized.connect(list_documents)
    signals.page_generator_finalized.connect(show_page_versions)
    signals.all_generators_finalized.connect(stop_reading)
    signals.all_generators_finalized.connect(freeze_urls)  # first: the checks use the URLs
    signals.all_generators_finalized.connect(refuse_failed_sources)
    signals.all_generators_finalized.connect(index_collections)
