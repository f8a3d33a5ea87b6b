"""What archive/site/pelican_internals.py relies on still holds in the installed Pelican.

Each test names the function of the adapter it guards: when an upgrade of Pelican breaks one,
this file says which, instead of live editing or collection pages breaking in silence.
"""

from __future__ import annotations

import ast
import datetime as dt
import hashlib
import importlib
import inspect
import json
import os
import pkgutil
import re
import subprocess
import sys
import types
from pathlib import Path

import pelican
from conftest import ROOT, fixture_content, write_settings
from pelican import generators, readers, signals, utils, writers
from pelican.contents import Article
from pelican.settings import read_settings

from archive.site import pelican_internals as internals
from archive.site.plan import PagePlan
from archive.site.rendering import ArchiveBuild, RenderPages


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _code_names(code: types.CodeType):
    """The names a code object (and the functions defined in it) uses: globals, attributes."""
    yield from code.co_names
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from _code_names(const)


def pelican_private_names() -> set[str]:
    """Every private name (one leading underscore) Pelican defines or uses, by introspection.

    Module globals, class attributes and methods, and the attribute names its functions
    and methods use (their compiled code's names: `self._written_files` is one).
    """
    names = set()
    modules = [info.name for info in pkgutil.walk_packages(pelican.__path__, "pelican.")]
    for module_name in ["pelican", *modules]:
        if ".tests" in module_name or module_name.endswith(".__main__"):
            continue
        try:
            module = importlib.import_module(module_name)
        except ImportError:  # a deprecated alias (pelican.signals) or a missing extra
            continue
        for name, value in vars(module).items():
            names.add(name)
            members = vars(value).items() if inspect.isclass(value) else [(name, value)]
            for member_name, member in members:
                names.add(member_name)
                function = member.fget if isinstance(member, property) else member
                code = getattr(getattr(function, "__func__", function), "__code__", None)
                if code is not None:
                    names.update(_code_names(code))
    return {name for name in names if _private(name)}


def private_pelican_names_used(path: Path, private: set[str]) -> set[str]:
    """The private Pelican names a module of ours uses.

    Any attribute of another object (`writer._written_files`, `super()._x`), a private name
    imported from Pelican, and, in a class derived from one of Pelican's, the methods it
    defines and the attributes it uses on itself. Our own classes' `self._x` are ours.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"))
    from_pelican = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("pelican")
        for alias in node.names
    }
    used = {name for name in from_pelican if name in private}
    derived = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef)
        and any(isinstance(base, ast.Name) and base.id in from_pelican for base in node.bases)
    ]
    own = {id(node) for cls in derived for node in ast.walk(cls)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in private:
            on_self = isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")
            if not on_self or id(node) in own:
                used.add(node.attr)
        elif isinstance(node, ast.FunctionDef) and node.name in private and id(node) in own:
            used.add(node.name)
    return used


def test_private_pelican_names_are_used_in_the_adapter_only():
    private = pelican_private_names()
    assert {"_written_files", "_content", "_get_writer"} <= private  # the introspection sees
    users = {}
    for folder in ("archive", "plugins", "bench"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            used = private_pelican_names_used(path, private)
            if used:
                users[path.relative_to(ROOT).as_posix()] = sorted(used)
    assert list(users) == ["archive/site/pelican_internals.py"], users


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


def test_generators_save_their_readers_cache_once_read(tmp_path, monkeypatch):
    """save_readings_aside: the cache a generator saves holds every file it read."""
    content = fixture_content("minimal", tmp_path)
    settings = read_settings(
        str(write_settings(tmp_path, content, tmp_path / "output")),
        override={
            "CACHE_CONTENT": True,
            "CACHE_PATH": str(tmp_path / "cache"),
            "CONTENT_CACHING_LAYER": "reader",
            "GZIP_CACHE": False,
        },
    )
    saves = []  # (generator, how many readings its readers held when they saved)

    def note_saves(generator):
        save = generator.readers.save_cache

        def noted():
            saves.append((type(generator).__name__, len(generator.readers._cache)))
            save()

        monkeypatch.setattr(generator.readers, "save_cache", noted)

    signals.article_generator_init.connect(note_saves)
    try:
        ArchiveBuild(settings).run()
    finally:
        signals.article_generator_init.disconnect(note_saves)
    documents = len(list((content / "articles").rglob("*.md")))
    assert saves == [("ArticlesInLinearTime", documents)]
    cacher, saving = readers.Readers(settings, cache_name="Readers"), []
    cacher.cache_data("a.md", ("stamp", "read"))
    internals.save_readings_aside(cacher, saving)
    cacher.save_cache()
    [pid] = saving
    assert os.waitpid(pid, 0)[1] == 0
    again = readers.Readers({**settings, "LOAD_CONTENT_CACHE": True}, cache_name="Readers")
    assert again._cache == cacher._cache and "a.md" in again._cache
    assert not list((tmp_path / "cache").glob("*.saving"))  # renamed once complete


def test_writer_keeps_sets_of_written_files(tmp_path):
    """forget_written_files"""
    writer = writers.Writer(str(tmp_path), settings=read_settings(override={}))
    assert isinstance(writer._written_files, set)
    assert isinstance(writer._overridden_files, set)
    internals.forget_written_files(writer)


def test_pelicans_own_pages_are_planned_with_what_they_show(tmp_path):
    """plan_written_page: a document's page shows its text, a list its documents."""
    content = fixture_content("minimal", tmp_path)
    site = ArchiveBuild(read_settings(str(write_settings(tmp_path, content, tmp_path / "output"))))
    site.run()
    articles = next(g for g in site.generators if isinstance(g, generators.ArticlesGenerator))
    plan = PagePlan.of(articles.context)
    for article in articles.articles:
        [page] = [page for page in plan.pages if page.subject is article]
        assert page.name == article.save_as and page.shows.text == [article]
        assert plan.showing_text_of([article]) == [page]
    [home] = plan.named("index.html")
    assert home.listed == len(articles.articles)
    home_lists = [articles.articles, articles.dates]
    assert [list(documents) for documents in home.shows.lists] == home_lists
    # Pelican gives its other pages (direct templates) every document.
    [collections] = plan.named("collections/index.html")
    assert [list(documents) for documents in collections.shows.lists] == home_lists


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


#: A build of one file that a reader fails to read, with no plugin: in a process of its own,
#: since Pelican's signals keep the receivers of every plugin a process has loaded.
FAILING_BUILD = """
import json, logging, sys
from pelican import Pelican, readers, signals
from pelican.settings import read_settings
from archive.site import pelican_internals as internals

class Failing(readers.BaseReader):
    enabled, file_extensions = True, ["fails"]
    def read(self, filename):
        raise ValueError("unreadable")

class Noted(logging.Handler):
    def emit(self, record):
        if internals.is_could_not_process(record):
            logged.append(record.getMessage())

logged = []
logging.getLogger("pelican").addHandler(Noted())
def add_reader(found):
    found.reader_classes["fails"] = Failing

def keep_context(generators):
    contexts.append(generators[0].context)

signals.readers_init.connect(add_reader)  # blinker holds receivers weakly: named, kept
settings = read_settings(override={
    "PATH": sys.argv[1], "OUTPUT_PATH": sys.argv[2], "ARTICLE_PATHS": ["articles"],
    "PLUGINS": [],
})
contexts = []
signals.all_generators_finalized.connect(keep_context)
Pelican(settings).run()
print(json.dumps([logged, internals.failed_sources(contexts[0])]))
"""


def test_failed_reads_are_logged_and_recorded(tmp_path):
    """is_could_not_process, failed_sources: a reader that raises, in a real build."""
    (tmp_path / "content" / "articles").mkdir(parents=True)
    (tmp_path / "content" / "articles" / "bad.fails").write_text("x", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", FAILING_BUILD, str(tmp_path / "content"), str(tmp_path / "out")],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    logged, failed = json.loads(done.stdout.splitlines()[-1])
    assert len(logged) == 1 and "bad.fails" in logged[0]
    assert failed == ["articles/bad.fails"]


def test_article_generator_reads_its_files_in_get_files_order(tmp_path, monkeypatch):
    """article_files"""
    content = fixture_content("minimal", tmp_path)
    for number in range(6):
        (content / "articles" / f"more-{number}.md").write_text(
            f"---\ntitle: More {number}\npublished: 2020-03-0{number + 1}\ncollection: test\n"
            "source:\n  publisher: Example Wire\n---\n\nText.\n",
            encoding="utf-8",
        )
    read, listed = [], []

    def note_reads(generator):
        read_file = generator.readers.read_file

        def noted(base_path, path, *args, **kwargs):
            read.append(path)
            return read_file(base_path, path, *args, **kwargs)

        monkeypatch.setattr(generator.readers, "read_file", noted)
        listed.extend(internals.article_files(generator))

    settings = read_settings(str(write_settings(tmp_path, content, tmp_path / "output")))
    signals.article_generator_init.connect(note_reads)
    try:
        ArchiveBuild(settings).run()
    finally:
        signals.article_generator_init.disconnect(note_reads)
    assert len(listed) == 8 and read == listed


def test_a_build_exposes_categories_and_generated_content(tmp_path):
    """ArchivePelican, replace_category_lists, content_read_from: checked on a real build."""
    content = fixture_content("minimal", tmp_path)
    settings_file = write_settings(tmp_path, content, tmp_path / "output")
    site = ArchiveBuild(read_settings(str(settings_file)))
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
    classes = ArchiveBuild(settings)._get_generator_classes()
    assert classes[0] is internals.ArticlesInLinearTime
    # The engine renders the planned pages after every page generator, before static files.
    assert classes[-2:] == [RenderPages, generators.StaticGenerator]
    site = ArchiveBuild(settings)
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


def test_readers_look_up_their_cache_by_absolute_path(tmp_path):
    """reading_is_cached: a file read by a path relative to its base is cached by its
    absolute path."""
    (tmp_path / "page.html").write_text(
        "<html><head><title>A page</title></head><body>Text</body></html>", encoding="utf-8"
    )
    settings = read_settings(
        override={"CACHE_CONTENT": True, "CACHE_PATH": str(tmp_path / "cache")}
    )
    found = readers.Readers(settings, cache_name="test")
    assert not internals.reading_is_cached(found, str(tmp_path / "page.html"))
    found.read_file(base_path=str(tmp_path), path="page.html")
    assert internals.reading_is_cached(found, str(tmp_path / "page.html"))
    assert not internals.reading_is_cached(found, "page.html")
