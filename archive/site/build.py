"""Build the site atomically: Pelican writes into a staging folder swapped in only on success.

Pelican empties its output folder before it starts, so a build that fails half-way would leave
readers with a half-written site. Here `output/` is either the previous site or the new one.
"""

from __future__ import annotations

import gc
import importlib.util
import os
import shutil
import subprocess
from contextlib import contextmanager
from pathlib import Path

from pelican.settings import read_settings

import archive
from archive.model.problems import Problem, fail
from archive.site.rendering import ArchiveBuild

STAGING_SUFFIX = ".building"


def code_folders(settings: dict) -> list[Path]:
    """The folders of the code a build runs: the archive's, and its plugins'."""
    return [Path(archive.__file__).resolve().parent, *plugin_folders(settings)]


def plugin_folders(settings: dict) -> list[Path]:
    """The folders of the plugins a build runs, as PLUGINS names them.

    A plugin named in a package (`plugins.search`) brings that package's folder; one named
    alone is found in PLUGIN_PATHS (a site's own plugins), whose folders are all included.
    """
    folders = []
    for name in settings.get("PLUGINS") or []:
        if isinstance(name, str) and "." in name:
            spec = importlib.util.find_spec(name.partition(".")[0])
            folders += [Path(path).resolve() for path in spec.submodule_search_locations or ()]
    folders += [Path(path).resolve() for path in settings.get("PLUGIN_PATHS", [])]
    return list(dict.fromkeys(folders))


def check_output_path(output: Path, settings: dict) -> None:
    """Refuse an output folder whose replacement would destroy something that is not output.

    A build replaces its output folder whole: it must not be, hold or sit inside the
    content, the theme or the plugins, nor hold any file git tracks (sources, whatever their
    folder's name).
    """
    output = output.resolve()
    sources = [Path(settings["PATH"]), Path(settings["THEME"]), *plugin_folders(settings)]
    sources = [source.resolve() for source in sources]
    forbidden = {Path(output.anchor), Path.home().resolve(), Path.cwd().resolve()}
    clash = next(
        (s for s in sources if output == s or output.is_relative_to(s) or s.is_relative_to(output)),
        None,
    )
    if output in forbidden or clash is not None:
        what = f"it is, holds or sits inside {clash}" if clash else "it is the project or a home"
        fail(
            str(output),
            None,
            f"refusing to build into this folder: {what}, which the build would replace",
            "set OUTPUT_PATH (or --output) to a folder of its own, such as 'output'",
        )
    tracked = _tracked_files(output)
    if tracked:
        fail(
            str(output),
            None,
            f"refusing to build into this folder: it holds files tracked by git ({tracked[0]}…)",
            "build into a folder of its own, such as 'output'",
        )


def _tracked_files(folder: Path) -> list[str]:
    """Files under `folder` that git tracks, if it is inside a git work tree."""
    if not folder.is_dir():
        return []
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--", "."],
            cwd=folder,
            capture_output=True,
            timeout=60,
        )
    except (OSError, subprocess.TimeoutExpired):
        return []
    return [name for name in listed.stdout.decode("utf-8", "replace").split("\0") if name]


def build_warnings(generators) -> list[Problem]:
    """What the documents read are warned of (plugins/documents/reader.py), file by file."""
    warnings: dict[str, tuple[Problem, ...]] = {}
    for generator in generators:
        readers = getattr(generator, "readers", None)
        for reader in readers.readers.values() if readers else ():
            warnings.update(getattr(reader, "warnings", {}))
    return [problem for path in sorted(warnings) for problem in warnings[path]]


def drafts_notice(generators, site: str) -> str:
    """Where the build wrote the drafts (DRAFT_SAVE_AS), `site` before each address.

    No list, menu or search of the site leads to a draft: an editor who is not told its
    address does not find it to read it. "" when there are none.
    """
    addresses = sorted(
        draft.url
        for generator in generators
        for name in ("drafts", "draft_pages")
        for draft in getattr(generator, name, ())
    )
    if not addresses:
        return ""
    return f"{len(addresses)} draft{'' if len(addresses) == 1 else 's'}, not in the site's " + (
        "lists: " + ", ".join(site + address for address in addresses)
    )


def build_site(settings_file: str = "pelicanconf.py", output: str | None = None) -> Path:
    """Build the site described by `settings_file`; return the output folder written."""
    return build_with(settings_file, output)[0]


def build_with(
    settings_file: str, output: str | None, overrides: dict | None = None
) -> tuple[Path, ArchiveBuild]:
    """Build, and return the output folder and the build (which keeps what it built).

    `overrides`: settings that replace the file's (a live site's own build cache).
    """
    overrides = overrides or {}
    settings = read_settings(settings_file, override=overrides)
    final = Path(output or settings["OUTPUT_PATH"]).resolve()
    check_output_path(final, settings)
    staging = final.with_name(final.name + STAGING_SUFFIX)
    shutil.rmtree(staging, ignore_errors=True)  # left over from a killed build
    settings = read_settings(settings_file, override={**overrides, "OUTPUT_PATH": str(staging)})
    pelican = ArchiveBuild(settings)
    try:
        with collector_paused():
            pelican.run()
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _swap_in(staging, final)
    return final, pelican


@contextmanager
def collector_paused():
    """Python's cyclic garbage collector off while a build runs, then as it was before.

    A build makes millions of objects that live as long as it does (the documents, their
    metadata and pages' contexts, the indexes of terms, related documents and search); the
    collector, woken every few hundred new objects, went over them again and again, found
    next to nothing to free, and took a fifth of a deploy build (`make bench`). Processes
    forked to render pages or read documents, which make short-lived objects, collect as
    usual (archive/site/rendering.py, plugins/documents).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _swap_in(staging: Path, final: Path) -> None:
    """Replace `final` by `staging` with renames, so no reader ever sees a partial site."""
    previous = final.with_name(final.name + ".previous")
    shutil.rmtree(previous, ignore_errors=True)
    if final.exists():
        os.rename(final, previous)
    os.rename(staging, final)
    shutil.rmtree(previous, ignore_errors=True)
