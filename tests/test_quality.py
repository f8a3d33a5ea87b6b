"""Quality gates on built sites, all offline: HTML validity, accessibility, security headers,
reproducibility and atomic output."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import (
    ROOT,
    SEED_ARTICLE,
    WCAG_TAGS,
    NetlifyHandler,
    build,
    collect_errors,
    digest,
    fixture_content,
    needs,
    write_settings,
)

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


@pytest.fixture(scope="module")
def taxonomy_site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("quality")
    return build(fixture_content("taxonomies", tmp), tmp / "output")


@pytest.mark.parametrize("which", ["shipped", "fixture"])
def test_nu_html_checker_finds_no_errors(which, shipped_site, taxonomy_site):
    needs(VNU.exists(), "vnu.jar (npm vnu-jar)")
    needs(bool(shutil.which("java")), "Java")
    site = shipped_site if which == "shipped" else taxonomy_site
    result = subprocess.run(
        [
            "java",
            "-jar",
            str(VNU),
            "--errors-only",
            "--skip-non-html",
            "--format",
            "text",
            str(site),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr[-5000:]


@pytest.mark.parametrize("language", ["", "es/", "fr/"], ids=["en", "es", "fr"])
@pytest.mark.parametrize(
    "page",
    [
        "index.html",
        SEED_ARTICLE,
        "actors/sergey-surovikin.html",
        "locations/raqqa-governorate.html",
        "actors/index.html",
        "locations/index.html",
        "search.html?q=Surovikin",
        "404.html",
        "collections/syria-war.html",
        "archive/2017.html",
        "about.html",
        "documents/syria-war/2013/des-armes-chimiques-decouvertes-chez-les-rebelles.html",
        "collections/syria-war-oldest.html",
        "archive/2013-title.html",
        "accessibility.html",
        "corrections.html",
    ],
)
def test_axe_finds_no_wcag_violations(browser, shipped_site, page, language):
    """Every kind of page, in each interface language (es/, fr/: the same pages)."""
    from axe_playwright_python.sync_playwright import Axe

    tab = browser.new_page()
    tab.goto(
        (shipped_site / (language + page.split("?")[0])).as_uri()
        + ("?" + page.split("?")[1] if "?" in page else "")
    )
    if "search" in page:
        tab.wait_for_selector(".search__result")
    results = Axe().run(tab, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    tab.close()
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("language", ["", "es/"], ids=["en", "es"])
def test_search_works_under_the_deployed_security_headers(browser, shipped_site, serve, language):
    root = serve(shipped_site, NetlifyHandler)
    tab = browser.new_page()
    problems = collect_errors(tab)
    response = tab.goto(root + language + "search.html?q=Palmyra")
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    tab.wait_for_selector(".search__result")
    assert tab.get_attribute("[data-search]", "data-engine") == "archive"
    tab.click(".search__title")
    tab.wait_for_selector(".document__body mark")
    assert f"/{language}documents/" in tab.url  # the result in the same interface language
    tab.close()
    assert problems == []  # a CSP violation is reported as a console error


@pytest.mark.parametrize("seed", ["1", "2"])
def test_two_builds_are_byte_identical_search_index_included(tmp_path, shipped_site, seed):
    """Also from another process, whose sets of names iterate in another order (Pelican
    reads files in such an order): documents of one date came out in either order."""
    again = tmp_path / "again"
    settings = write_settings(tmp_path, ROOT / "content", again)
    built = subprocess.run(
        [sys.executable, "-m", "archive", "build", "--settings", str(settings)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONHASHSEED": seed},
    )
    assert built.returncode == 0, built.stderr
    first = digest(shipped_site)
    assert any(name.startswith("search-index/filters/") for name in first)
    assert first == digest(again)  # every page and the search index, its filters too


def processes_running(argument: str) -> list[int]:
    """The live processes whose command line holds `argument` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            command = (entry / "cmdline").read_bytes() if entry.name.isdigit() else b""
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if argument.encode() in command and state != "Z":
            found.append(int(entry.name))
    return found


def test_a_killed_build_leaves_the_previous_output_exactly_as_it_was(tmp_path):
    content = fixture_content("taxonomies", tmp_path)
    articles = content / "articles"
    template = (articles / "a1.md").read_text(encoding="utf-8")
    for number in range(400):  # enough documents for the build to be caught half-way
        (articles / f"bulk-{number:03d}.md").write_text(
            template.replace("Report a1", f"Bulk {number}"), encoding="utf-8"
        )
    output = tmp_path / "output"
    settings = write_settings(tmp_path, content, output)
    command = [sys.executable, "-m", "archive", "build", "--settings", str(settings)]
    assert subprocess.run(command, cwd=tmp_path, capture_output=True).returncode == 0
    before = digest(output)
    (articles / "a1.md").write_text(template.replace("Report a1", "Changed"), encoding="utf-8")

    process = subprocess.Popen(
        command, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    staging = tmp_path / "output.building"
    deadline = time.monotonic() + 60
    while not any(staging.rglob("*.html")) and time.monotonic() < deadline:
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait()
    # Its workers die with it: none is left writing into the staging folder of the next build.
    deadline = time.monotonic() + 1  # as long as the kernel may take to kill them
    while processes_running(str(settings)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert processes_running(str(settings)) == []
    assert digest(output) == before

    assert subprocess.run(command, cwd=tmp_path, capture_output=True).returncode == 0
    assert not staging.exists()
    assert "Changed" in (output / "documents/test/2019/a1.html").read_text(encoding="utf-8")


def test_home_folder_is_refused_as_output(tmp_path):
    content = fixture_content("minimal", tmp_path)
    home = tmp_path / "home"
    home.mkdir()
    (home / "letter.txt").write_text("keep me")
    settings = write_settings(tmp_path, content, home)
    result = subprocess.run(
        [sys.executable, "-m", "archive", "build", "--settings", str(settings)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "HOME": str(home)},
    )
    assert result.returncode == 1 and "refusing to build into this folder" in result.stderr
    assert (home / "letter.txt").read_text() == "keep me"
    shutil.rmtree(home)
