"""Shared fixtures: build real sites (the shipped one and small fixture sites) into tmp_path."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pelican import Pelican
from pelican.settings import read_settings

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# A copy of ../shared/seeds/, the raw scraped page the seed article was curated from.
SEED = FIXTURES / "seeds" / "000_874ab42d718d5189.txt"
SEED_ARTICLE = "documents/syria-war/2017/us-led-coalition-colluding-with-is.html"


def site_settings(content: Path, output: Path, **overrides) -> dict:
    """The project's pelicanconf with another content folder and output folder."""
    override = {"PATH": str(content), "OUTPUT_PATH": str(output), **overrides}
    return read_settings(str(ROOT / "pelicanconf.py"), override=override)


def build(content: Path, output: Path, **overrides) -> Path:
    """Build a site in-process with the project's settings; return the output folder."""
    Pelican(site_settings(content, output, **overrides)).run()
    return output


def fixture_content(name: str, tmp_path: Path) -> Path:
    """Copy fixture scenario `name` into tmp_path, with the shared registries if it has none."""
    content = tmp_path / name / "content"
    shutil.copytree(FIXTURES / name, content)
    if not (content / "registry").exists():
        shutil.copytree(FIXTURES / "registry", content / "registry")
    return content


def write_settings(folder: Path, content: Path, output: Path) -> Path:
    """A settings file for `archive build` that points the project's settings at fixtures."""
    path = folder / "fixtureconf.py"
    path.write_text(
        "import sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from pelicanconf import *\n"
        f"PATH = {str(content)!r}\n"
        f"OUTPUT_PATH = {str(output)!r}\n"
        f"THEME = {str(ROOT / 'theme')!r}\n"
        f"PLUGIN_PATHS = [{str(ROOT / 'plugins')!r}]\n",
        encoding="utf-8",
    )
    return path


def archive_command(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run the `archive` command as an editor would, capturing what it prints."""
    return subprocess.run(
        [sys.executable, "-m", "archive", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="session")
def shipped_site(tmp_path_factory) -> Path:
    """The repository's own content, built once for the whole test session."""
    return build(ROOT / "content", tmp_path_factory.mktemp("shipped") / "output")
