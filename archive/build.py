"""Build the site atomically: Pelican writes into a staging folder swapped in only on success.

Pelican empties its output folder before it starts, so a build that fails half-way would leave
readers with a half-written site. Here `output/` is either the previous site or the new one.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from pelican import Pelican
from pelican.settings import read_settings

from .problems import fail

STAGING_SUFFIX = ".building"


def check_output_path(output: Path, content: Path) -> None:
    """Refuse an output folder whose replacement would destroy something that is not output."""
    output = output.resolve()
    home = Path.home().resolve()
    forbidden = {Path(output.anchor), home, content.resolve(), Path.cwd().resolve()}
    if output in forbidden or content.resolve().is_relative_to(output):
        fail(
            str(output),
            None,
            "refusing to build into this folder: it holds the content, the project or your home",
            "set OUTPUT_PATH to a folder of its own, such as 'output'",
        )


def build_site(settings_file: str = "pelicanconf.py", output: str | None = None) -> Path:
    """Build the site described by `settings_file`; return the output folder written."""
    return build_with(settings_file, output, Pelican)[0]


def build_with(
    settings_file: str, output: str | None, pelican_class: type[Pelican]
) -> tuple[Path, Pelican]:
    """Build with `pelican_class` (a Pelican that keeps what it built, for a live site)."""
    settings = read_settings(settings_file)
    final = Path(output or settings["OUTPUT_PATH"]).resolve()
    check_output_path(final, Path(settings["PATH"]))
    staging = final.with_name(final.name + STAGING_SUFFIX)
    shutil.rmtree(staging, ignore_errors=True)  # left over from a killed build
    settings = read_settings(settings_file, override={"OUTPUT_PATH": str(staging)})
    pelican = pelican_class(settings)
    try:
        pelican.run()
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _swap_in(staging, final)
    return final, pelican


def _swap_in(staging: Path, final: Path) -> None:
    """Replace `final` by `staging` with renames, so no reader ever sees a partial site."""
    previous = final.with_name(final.name + ".previous")
    shutil.rmtree(previous, ignore_errors=True)
    if final.exists():
        os.rename(final, previous)
    os.rename(staging, final)
    shutil.rmtree(previous, ignore_errors=True)
