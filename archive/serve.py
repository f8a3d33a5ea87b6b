"""`archive serve`: a local preview that updates itself as editors save files."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import click
from watchfiles import watch

from .live import LiveSite
from .problems import ArchiveError


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _bind(host: str, port: int, handler) -> http.server.ThreadingHTTPServer:
    """The preview server, or a one-line error when the address cannot be used."""
    try:
        return http.server.ThreadingHTTPServer((host, port), handler)
    except (OSError, OverflowError) as err:
        reason = getattr(err, "strerror", None) or str(err)
        raise click.ClickException(
            f"cannot serve on {host}:{port} ({reason}). Fix: choose another port with "
            f"--port, e.g. --port {port + 1 if port < 65535 else 8000}, or stop the program "
            "using this one"
        ) from None


def serve_and_rebuild(settings_file: str, host: str, port: int, report) -> None:
    """Serve the output folder; update it after every change to the sources.

    An edit to a document's text rewrites just its pages (LiveSite); anything else rebuilds
    the site atomically. The server looks the folder up again for every request, so it
    serves each new build as soon as it has been swapped in; a failed build or a broken
    edit keeps the last good site on screen.
    """
    site = LiveSite(settings_file)

    def refresh(changed=None) -> bool:
        try:
            update = site.update(changed) if changed else site.build()
        except ArchiveError as err:
            click.echo("Not updated; still serving the last good build:", err=True)
            report(err.problems, "text")
            return False
        if update.full:
            click.echo(f"Built the whole site ({update.reason}) in {update.seconds:.1f} s.")
        else:
            click.echo(
                f"Rewrote {len(update.written)} file(s) in {update.seconds:.2f} s: "
                + ", ".join(update.written)
                + ". The search index follows in the background."
            )
        return True

    settings = site.settings
    # What a change to updates for: the content, the theme, the plugins, the settings.
    watched = [settings["PATH"], settings["THEME"], *settings["PLUGIN_PATHS"], settings_file]
    output = Path(settings["OUTPUT_PATH"]).resolve()
    server = _bind(host, port, functools.partial(_Quiet, directory=str(output)))  # before a build
    refresh()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    click.echo(f"Serving http://{host}:{port}/index.html — updating on changes (Ctrl-C to stop)")
    try:
        for changes in watch(*[p for p in watched if Path(p).exists()]):
            refresh([path for _, path in changes])
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
