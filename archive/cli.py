"""The `archive` command: the editors' and builders' entry point to the archive."""

from __future__ import annotations

import logging
import sys

import click

from .problems import ArchiveError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main():
    """Build and look after a documentary archive."""


@main.command()
@click.option("--settings", "settings_file", default="pelicanconf.py", show_default=True,
              help="Pelican settings file (publishconf.py for the deployed site).")
@click.option("--output", default=None, help="Output folder (default: the settings' OUTPUT_PATH).")
@click.option("--debug", is_flag=True, help="Show Python tracebacks, for developers.")
def build(settings_file, output, debug):
    """Build the whole site into the output folder, replacing it only if the build succeeds."""
    from .build import build_site

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    try:
        folder = build_site(settings_file, output)
    except ArchiveError as err:
        click.echo(f"Build failed: {len(err.problems)} problem(s) to fix; "
                   "the previous site was left as it was.", err=True)
        for problem in err.problems:
            click.echo(f"  {problem}", err=True)
        sys.exit(1)
    except Exception as err:
        if debug:
            raise
        click.echo(f"Build failed: {type(err).__name__}: {err}\n"
                   "  (run 'archive build --debug' for the details a developer needs)", err=True)
        sys.exit(1)
    click.echo(f"Built the site into {folder}")
