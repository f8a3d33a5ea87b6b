"""`archive serve`: a local preview that rebuilds itself as editors save files."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import click
from watchfiles import watch

from .problems import ArchiveError


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve_and_rebuild(settings_file: str, host: str, port: int, build_site, report) -> None:
    """Serve the output folder; rebuild (atomically) after every change to the sources.

    The server looks the folder up again for every request, so it serves each new build as
    soon as it has been swapped in; a failed build keeps the last good one on screen.
    """

    def rebuild() -> Path | None:
        try:
            return build_site(settings_file)
        except ArchiveError as err:
            click.echo("Build failed; still serving the last good build:", err=True)
            report(err.problems, "text")
            return None

    from pelican.settings import read_settings

    settings = read_settings(settings_file)
    # What a change to rebuilds for: the content, the theme, the plugins, the settings.
    watched = [settings["PATH"], settings["THEME"], *settings["PLUGIN_PATHS"], settings_file]
    output = rebuild() or Path(settings["OUTPUT_PATH"])
    handler = functools.partial(_Quiet, directory=str(output))
    server = http.server.ThreadingHTTPServer((host, port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    click.echo(f"Serving http://{host}:{port}/index.html — rebuilding on changes (Ctrl-C to stop)")
    try:
        for changes in watch(*[p for p in watched if Path(p).exists()]):
            click.echo(f"{len(changes)} change(s): rebuilding…")
            if rebuild():
                click.echo("Rebuilt.")
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
