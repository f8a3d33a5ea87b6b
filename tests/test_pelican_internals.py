"""The Pelican details archive/pelican_internals.py relies on still hold in the installed Pelican.

Each test names the function of the adapter it guards: when an upgrade of Pelican breaks one,
this file says which, instead of live editing or collection pages breaking in silence.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import inspect
import logging
import os
import re
from pathlib import Path

import pelican
from conftest import ROOT, fixture_content, write_settings
from pelican import Pelican, generators, readers, utils, writers
from pelican.contents import Article
from pelican.settings import read_settings

from archive import pelican_internals as internals

#: Private or undocumented Pelican names: only the adapter module may use them.
PRIVATE = re.compile(
    r"\._written_files|\._overridden_files|\._content\b|\._get_writer|\.disabled_readers|"
    r"generated_content|Could not process|\.override_url|\.override_save_as|"
    r"\.categories\[:\]|\.get_files\(|readers\.read_file\(|(?<!functools)(?<=[\w)\]])\.cache\b|"
    r"_build_period_archives|_get_generator_classes|_filestamp_func|_cache_path|"
    r"_add_item_to_the_feed|_create_new_feed|_update_content"
)


def test_no_private_pelican_name_outside_the_adapter():
    offenders = []
    for folder in ("archive", "plugins", "bench"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path.name == "pelican_internals.py":
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if PRIVATE.search(line):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []


def test_each_source_file_is_hashed_once_while_unchanged(tmp_path):
    """stamp_each_file_once"""
    settings = read_settings(
        override={"CHECK_MODIFIED_METHOD": "sha256", "CACHE_PATH": str(tmp_path / "cache")}
    )
    readers = pelican.readers.Readers(settings, cache_name="test")
    hashed = []
    original = readers._filestamp_func
    readers._filestamp_func = lambda name: hashed.append(name) or original(name)
    internals.stamp_each_file_once(readers, {})
    source = tmp_path / "a.md"
    source.write_bytes(b"one")
    stamps = [readers._get_file_stamp(str(source)) for _ in range(3)]
    assert stamps == [hashlib.sha256(b"one").digest()] * 3 and len(hashed) == 1
    source.write_bytes(b"two!")
    assert readers._get_file_stamp(str(source)) == hashlib.sha256(b"two!").digest()
    assert len(hashed) == 2


def test_generators_save_their_readers_cache_once_read(tmp_path):
    """save_readings_aside"""
    for generator in (generators.ArticlesGenerator, generators.PagesGenerator):
        source = inspect.getsource(generator.generate_context)
        _, saved_then, after = source.partition("self.readers.save_cache()")
        assert saved_then and "read_file" not in after
    settings = read_settings(
        override={"CACHE_PATH": str(tmp_path), "CACHE_CONTENT": True, "GZIP_CACHE": False}
    )
    cacher, saving = readers.Readers(settings, cache_name="Readers"), []
    cacher.cache_data("a.md", ("stamp", "read"))
    internals.save_readings_aside(cacher, saving)
    cacher.save_cache()
    [pid] = saving
    assert os.waitpid(pid, 0)[1] == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Readers"]  # renamed when complete
    again = readers.Readers({**settings, "LOAD_CONTENT_CACHE": True}, cache_name="Readers")
    assert again._cache == cacher._cache and "a.md" in again._cache


def test_writer_keeps_sets_of_written_files(tmp_path):
    """forget_written_files"""
    writer = writers.Writer(str(tmp_path), settings=read_settings(override={}))
    assert isinstance(writer._written_files, set)
    assert isinstance(writer._overridden_files, set)
    internals.forget_written_files(writer)


def test_write_file_and_write_feed_argument_shapes():
    """page_name, page_subject, feed_elements, feed_path"""
    page = list(inspect.signature(writers.Writer.write_file).parameters)
    assert page[:4] == ["self", "name", "template", "context"]
    feed = list(inspect.signature(writers.Writer.write_feed).parameters)
    assert feed[:4] == ["self", "elements", "context", "path"]
    assert internals.page_name(("a.html",), {}) == "a.html"
    assert internals.feed_path(([], {}, "f.xml"), {}) == "f.xml"
    source = inspect.getsource(generators)
    assert "article=article" in source and "page=page" in source


def test_a_paginated_write_renders_each_page_with_its_number(tmp_path):
    """page_number, with_template"""

    class Template:
        """Renders nothing; notes the page number of each render."""

        def __init__(self):
            self.numbers = []

        def render(self, localcontext):
            self.numbers.append(internals.page_number(localcontext))
            return ""

    settings = read_settings(override={"DEFAULT_PAGINATION": 2})
    writer = writers.Writer(str(tmp_path), settings=settings)
    template, other = Template(), Template()
    args, kwargs = internals.with_template(
        ("index.html", template, {}), {"articles": [1, 2, 3, 4, 5], "template_name": "index"}, other
    )
    writer.write_file(*args, **kwargs)
    assert other.numbers == [1, 2, 3] and template.numbers == []
    writer.write_file("about.html", template, {})
    assert template.numbers == [1]


def test_content_keeps_reader_html_and_memoizes_by_content():
    """content_html, replace_content_html"""
    settings = read_settings(override={"SITEURL": ""})
    article = Article(
        "<p>old</p>", metadata={"title": "t", "date": dt.datetime(2020, 1, 2)}, settings=settings
    )
    assert internals.content_html(article) == "<p>old</p>"
    assert article.get_content("") == "<p>old</p>"
    assert isinstance(utils.memoized, type)
    assert any(key[0] is article for key in article.get_content.cache)
    internals.replace_content_html(article, "<p>new</p>")
    assert article.get_content("") == "<p>new</p>"


def test_override_url_wins_over_settings():
    """freeze_url"""
    settings = read_settings(
        override={"ARTICLE_URL": "{slug}.html", "ARTICLE_SAVE_AS": "{slug}.html"}
    )
    article = Article(
        "x",
        metadata={"title": "t", "slug": "s", "date": dt.datetime(2020, 1, 2)},
        settings=settings,
    )
    internals.freeze_url(article)
    article.settings = {**settings, "ARTICLE_URL": "other/{slug}.html"}
    assert article.url == "s.html"


def test_readers_keep_disabled_readers_and_read_file_arguments():
    """enable_reader, read_again"""
    found = readers.Readers(read_settings(override={}))
    assert isinstance(found.disabled_readers, dict)
    internals.enable_reader(found, "md")
    assert "md" not in found.disabled_readers
    parameters = inspect.signature(readers.Readers.read_file).parameters
    for name in (
        "base_path",
        "path",
        "content_class",
        "context",
        "preread_signal",
        "preread_sender",
        "context_signal",
        "context_sender",
    ):
        assert name in parameters


def test_pelican_gets_its_writer_from_get_writer():
    """KeepingPelican"""
    assert callable(Pelican._get_writer)
    assert "self._get_writer()" in inspect.getsource(Pelican.run)


def test_failed_reads_are_logged_and_recorded():
    """is_could_not_process, failed_sources"""
    source = inspect.getsource(generators.ArticlesGenerator.generate_context)
    assert '"Could not process %s"' in source
    assert "_add_failed_source_path" in source
    recorder = inspect.getsource(generators.Generator._add_failed_source_path)
    assert "self.context[key][posixize_path(os.path.normpath(path))] = None" in recorder
    record = logging.LogRecord(
        "pelican", logging.ERROR, "", 0, "Could not process %s", ("x",), None
    )
    assert internals.is_could_not_process(record)
    assert internals.failed_sources({"generated_content": {"b": None, "a": None, "c": 1}}) == [
        "a",
        "b",
    ]


def test_article_generator_reads_its_files_in_get_files_order():
    """article_files"""
    source = inspect.getsource(generators.ArticlesGenerator.generate_context)
    assert 'self.get_files(\n            self.settings["ARTICLE_PATHS"]' in source


def test_a_build_exposes_categories_and_generated_content(tmp_path):
    """KeepingPelican, replace_category_lists, content_read_from: checked on a real build."""
    content = fixture_content("minimal", tmp_path)
    settings_file = write_settings(tmp_path, content, tmp_path / "output")
    site = internals.KeepingPelican(read_settings(str(settings_file)))
    site.run()
    assert site.writer is not None
    articles = next(g for g in site.generators if isinstance(g, generators.ArticlesGenerator))
    assert articles.categories and all(len(pair) == 2 for pair in articles.categories)
    internals.replace_category_lists(articles, tuple)
    assert all(isinstance(items, tuple) for _, items in articles.categories)
    source = next(Path(content, "articles").rglob("*.md")).relative_to(content).as_posix()
    found = internals.content_read_from(articles.context, source)
    assert found is not None and found.source_path.endswith(source)


def test_pelican_is_the_pinned_minor_version():
    """The pin in pyproject.toml is the version these checks ran against (see the Makefile's
    test-pelican-latest target for the newest)."""
    pin = re.search(r'"pelican==([\d.]+)\.\*"', (ROOT / "pyproject.toml").read_text())
    assert pin, "pyproject.toml must pin pelican to one minor version, e.g. pelican==4.12.*"
    if os.environ.get("PELICAN_LATEST") != "1":
        assert pelican.__version__.startswith(pin.group(1) + ".")


def test_year_archives_in_linear_time_are_pelicans_own(tmp_path):
    """ArticlesInLinearTime, ArchivePelican: the same archives as Pelican's, article for article."""
    settings_file = write_settings(tmp_path, ROOT / "content", tmp_path / "output")
    with settings_file.open("a", encoding="utf-8") as handle:  # every granularity Pelican has
        handle.write(
            "MONTH_ARCHIVE_SAVE_AS = 'archive/{date:%Y}/{date:%m}.html'\n"
            "DAY_ARCHIVE_SAVE_AS = 'archive/{date:%Y}/{date:%m}/{date:%d}.html'\n"
        )
    settings = read_settings(str(settings_file))
    assert internals.ArchivePelican(settings)._get_generator_classes()[0] is (
        internals.ArticlesInLinearTime
    )
    site = internals.KeepingPelican(settings)
    site.run()
    articles = next(g for g in site.generators if isinstance(g, generators.ArticlesGenerator))
    assert isinstance(articles, internals.ArticlesInLinearTime)
    dates, listed = articles.dates, list(reversed(articles.articles))  # another order than dates
    ours = articles._build_period_archives(dates, listed, settings)
    pelicans = generators.ArticlesGenerator._build_period_archives(
        articles, dates, listed, settings
    )
    assert set(ours) == set(pelicans) == {"year", "month", "day"}
    assert len(ours["year"]) > 5
    for granularity, periods in pelicans.items():
        for mine, theirs in zip(ours[granularity], periods, strict=True):
            assert [id(a) for a in mine.pop("articles")] == [id(a) for a in theirs.pop("articles")]
            assert mine.keys() == theirs.keys() and mine.pop("dates") == theirs.pop("dates")
            assert mine == theirs


def test_readers_look_up_their_cache_by_absolute_path():
    """reading_is_cached"""
    source = inspect.getsource(readers.Readers.read_file)
    assert "path = os.path.abspath(os.path.join(base_path, path))" in source
    assert "self.get_cached_data(path, (None, None))" in source


def test_feed_titles_are_read_as_html_by_the_writer(tmp_path):
    """FeedTitlesAsText: Pelican strips tags from feed titles and unescapes them (so the
    archive's text titles are handed over escaped)."""
    settings = read_settings(override={"OUTPUT_PATH": str(tmp_path), "SITEURL": "https://x.net"})
    writer = writers.Writer(str(tmp_path), settings=settings)
    writer.site_url, writer.feed_url = "https://x.net", "https://x.net/feed.xml"
    feed = writer._create_new_feed("atom", "<b>War</b> &amp; peace", {"SITENAME": "Site"})
    assert feed.feed["title"] == "Site - War & peace"
    ours = internals.FeedTitlesAsText(str(tmp_path), settings=settings)
    ours.site_url, ours.feed_url = writer.site_url, writer.feed_url
    feed = ours._create_new_feed("atom", "<b>War</b> &amp; peace", {"SITENAME": "R&D"})
    assert feed.feed["title"] == "R&D - <b>War</b> &amp; peace"
