"""`archive serve`: a local preview that updates itself, and the open page, as editors save.

The preview server adds one script to every page it serves (`live_reload.js`, never written
into output/, which stays byte-identical to a build). The script listens to server-sent
events: after a save the site is updated and the page reloads itself; a save the build
refuses shows its problems on the page as well as in the terminal.
"""

from __future__ import annotations

import functools
import http.server
import ipaddress
import json
import re
import threading
from importlib import resources
from pathlib import Path
from urllib.parse import unquote

import click
from watchfiles import watch

from archive.model.captures import CAPTURE_KINDS
from archive.model.problems import ArchiveError, Problem, tally
from archive.site.build import build_warnings, drafts_notice, plugin_folders
from archive.site.live import LiveSite

#: Where the preview's own script and event stream are served (no page of a site is there).
PREVIEW_PATH = "/__preview__/"
SCRIPT_TAG = f'<script src="{PREVIEW_PATH}live-reload.js"></script>'.encode()
#: Seconds between keep-alive comments on an idle event stream.
KEEP_ALIVE = 15
#: The longest path the preview answers (no file of a site has a longer one).
LONGEST_PATH = 2048


def addressed_directly(host_header: str | None) -> bool:
    """Whether a request names this machine by address or as localhost, not by a domain.

    A web page elsewhere can point a domain of its own at 127.0.0.1 (DNS rebinding) and
    then read the preview, drafts included, as its own origin; its requests carry that
    domain in `Host`. An address (127.0.0.1, [::1], the machine's own on a network) or
    `localhost` cannot be rebound that way.
    """
    found = HOST.fullmatch(host_header or "")
    if found is None:  # a domain, or more than a host and port ("evil.test@127.0.0.1")
        return False
    name = found["name"].strip("[]").lower()
    if name == "localhost":
        return True
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


#: A `Host` header that names a machine by address or as localhost, with a port or not.
HOST = re.compile(
    r"(?P<name>localhost|[0-9.]+|\[[0-9a-f:.]+\])(?::[0-9]{1,5})?", re.ASCII | re.IGNORECASE
)


class PreviewEvents:
    """What happened last (the site was updated, or a save was refused), for every open page."""

    def __init__(self):
        self.changed = threading.Condition()
        self.version = 0
        self.problems: list[str] = []

    def updated(self) -> None:
        """The site was updated: open pages reload."""
        self.publish([])

    def refused(self, problems: list[Problem]) -> None:
        """A save was refused: open pages show why."""
        self.publish([str(problem) for problem in problems])

    def publish(self, problems: list[str]) -> None:
        """Tell every open page: reload (no problems), or show these problems."""
        with self.changed:
            self.version += 1
            self.problems = problems
            self.changed.notify_all()

    def next_after(self, version: int) -> tuple[int, list[str]] | None:
        """Wait for news after `version`: (version, problems), or None if nothing happened."""
        with self.changed:
            self.changed.wait_for(lambda: self.version != version, timeout=KEEP_ALIVE)
            if self.version == version:
                return None
            return self.version, self.problems


#: The text files a site holds, all written (or, for captures, imported) as UTF-8: said so
#: in their Content-Type, or a browser reads them in its own default ("dÃ©couvertes").
TEXT_TYPES = {
    ".txt": "text/plain; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".geojson": "application/geo+json; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".svg": "image/svg+xml; charset=utf-8",
}


class PreviewHandler(http.server.SimpleHTTPRequestHandler):
    """Serve the built site, with the preview script in its pages and the event stream."""

    events: PreviewEvents
    #: Captures as the site serves them (a PDF original as application/pdf, for the
    #: browser's own viewer), then the site's text files.
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        **{suffix: kind.media_type for suffix, kind in CAPTURE_KINDS.items()},
        **TEXT_TYPES,
    }

    def log_message(self, *args):
        """Stay quiet: the terminal is for the editor's build messages."""

    def do_GET(self):  # noqa: N802 - the name http.server dispatches to
        """The event stream, the preview script, a page with the script, or a plain file.

        Only for requests naming the machine by address (`addressed_directly`), and only
        for paths a site can have: no folder listings, no NUL bytes, no endless names.
        """
        if self._refused():
            return None
        try:
            return self._answer(self.path.split("?")[0])
        except OSError:  # a name the file system refuses (too long, not a name)
            return self.send_error(404)

    def do_HEAD(self):  # noqa: N802 - the name http.server dispatches to
        """As GET, without the body; the same requests are refused."""
        if self._refused():
            return None
        try:
            page = self._page(self.path.split("?")[0])
            if page is not None:  # its length with the preview script, as GET sends it
                return self._send_headers(len(page), "text/html; charset=utf-8")
            return super().do_HEAD()
        except OSError:
            return self.send_error(404)

    def _refused(self) -> bool:
        """Refuse (and answer) a request by a domain name, or for an impossible path."""
        hosts = self.headers.get_all("Host") or []
        if len(hosts) != 1 or not addressed_directly(hosts[0]):
            self.send_error(421, "The preview answers only 127.0.0.1 or localhost")
            return True
        path = self.path.split("?")[0]
        if len(path) > LONGEST_PATH or "\0" in unquote(path):
            self.send_error(400, "No page has such an address")
            return True
        return False

    def list_directory(self, path):
        """No folder listings: a folder without index.html is not a page of the site."""
        self.send_error(404)

    def _answer(self, path: str):
        if path == PREVIEW_PATH + "events":
            return self._stream_events()
        if path == PREVIEW_PATH + "live-reload.js":
            script = resources.files("archive.editors").joinpath("live_reload.js").read_bytes()
            return self._send(script, "text/javascript; charset=utf-8")
        page = self._page(path)
        if page is not None:
            return self._send(page, "text/html; charset=utf-8")
        return super().do_GET()

    def _page(self, path: str) -> bytes | None:
        """The page at `path` with the preview script in it, or None if it is not a page."""
        file = Path(self.translate_path(path))
        if file.is_dir():
            file = file / "index.html"
        if file.suffix != ".html" or not file.is_file():
            return None
        page = file.read_bytes()
        end = page.rfind(b"</body>")
        return page[:end] + SCRIPT_TAG + page[end:] if end >= 0 else page + SCRIPT_TAG

    def _send(self, body: bytes, content_type: str) -> None:
        self._send_headers(len(body), content_type)
        self.wfile.write(body)

    def _send_headers(self, length: int, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(length))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()

    def _stream_events(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        version = self.events.version
        if self.events.problems:  # a page opened after a refused save shows it at once
            self._event("problems", self.events.problems)
        try:
            while True:
                news = self.events.next_after(version)
                if news is None:
                    self.wfile.write(b": still here\n\n")
                else:
                    version, problems = news
                    if problems:
                        self._event("problems", problems)
                    else:
                        self._event("reload", [])
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return

    def _event(self, name: str, data: list[str]) -> None:
        self.wfile.write(f"event: {name}\ndata: {json.dumps(data)}\n\n".encode())
        self.wfile.flush()


def _loopback(host: str) -> bool:
    """Whether `host` is reachable from this machine only (127.0.0.1, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _bind(host: str, port: int, handler) -> http.server.ThreadingHTTPServer:
    """The preview server, or a one-line error when the address cannot be used."""
    try:
        server = http.server.ThreadingHTTPServer((host, port), handler)
    except (OSError, OverflowError) as err:
        reason = getattr(err, "strerror", None) or str(err)
        other = port + 1 if port < 65535 else 8000
        # Editors start the preview with `make serve` (whose PORT becomes --port) or with
        # `archive serve`: each is told its own way.
        raise click.ClickException(
            f"cannot serve on {host}:{port} ({reason}). Fix: choose another port, "
            f"'make serve PORT={other}' or 'archive serve --port {other}', or stop the "
            "program using this one"
        ) from None
    server.daemon_threads = True  # open event streams never hold up Ctrl-C
    return server


def serve_and_rebuild(settings_file: str, host: str, port: int, report) -> None:
    """Serve the output folder; update it after every change to the sources.

    An edit to a document's text rewrites just its pages (LiveSite); anything else rebuilds
    the site atomically. The server looks the folder up again for every request, so it
    serves each new build as soon as it has been swapped in; a failed build or a broken
    edit keeps the last good site on screen, with the problems shown over it.
    """
    site = LiveSite(settings_file)
    events = PreviewEvents()

    def refresh(changed=None) -> bool:
        try:
            update = site.update(changed) if changed else site.build()
        except ArchiveError as err:
            click.echo("Not updated; still serving the last good build:", err=True)
            report(err.problems, "text")
            events.refused(err.problems)
            return False
        if update.full:
            warnings = build_warnings(site.pelican.generators)
            report(warnings, "text")
            counted = f" ({tally(warnings)})" if warnings else ""
            click.echo(
                f"Built the whole site ({update.reason}) in {update.seconds:.1f} s{counted}."
            )
            drafts = drafts_notice(site.pelican.generators, f"http://{host}:{port}/")
            if drafts:
                click.echo(drafts)
        else:
            click.echo(
                f"Rewrote {len(update.written)} file(s) in {update.seconds:.2f} s: "
                + ", ".join(update.written)
                + ". The search index follows in the background."
            )
        events.updated()
        return True

    settings = site.settings
    # What a change to updates for: the content, the theme, the plugins, the settings.
    watched = [settings["PATH"], settings["THEME"], *plugin_folders(settings), settings_file]
    output = Path(settings["OUTPUT_PATH"]).resolve()
    handler = type("Handler", (PreviewHandler,), {"events": events})
    server = _bind(host, port, functools.partial(handler, directory=str(output)))  # first
    refresh()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    click.echo(f"Serving http://{host}:{port}/index.html — updating on changes (Ctrl-C to stop)")
    if not _loopback(host):
        click.echo(
            f"Warning: on {host}, other machines of the network can read this preview, drafts"
            " included. Fix: serve on 127.0.0.1 (the default) unless they are meant to.",
            err=True,
        )
    try:
        for changes in watch(*[p for p in watched if Path(p).exists()]):
            refresh([path for _, path in changes])
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
