"""`archive links`: every cited address asked on a server of this machine, recorded, reported.

A local server answers each way a source can: 200, a permanent redirect to a page that
answers, 404, 410, no answer before the timeout, a reset connection. No test touches an
address outside this machine (a proxy test's address is answered by a local proxy).
"""

from __future__ import annotations

import http.server
import socket
import struct
import threading
import time

import pytest
import yaml
from conftest import build
from sitecheck import soup

from archive.editors.links import NEUTRAL_AGENT

GOOD = (
    "---\ntitle: {name}\npublished: 2020-01-01\ncollection: syria-war\nsource:\n"
    "  publisher: Reuters\n  date: 2019-05-01\n  url: {url}\n---\n\nText of {name}.\n"
)
PATHS = ("fine", "ok", "old", "missing", "gone", "slow", "reset")


class Source(http.server.BaseHTTPRequestHandler):
    """Each path answers as a source can; the server notes agents and concurrency."""

    answers: dict[str, str] = {}

    def log_message(self, *args):
        pass

    def do_GET(self):  # noqa: N802
        server = self.server
        how = server.answers.get(self.path.strip("/"), "404")
        # A request the client gave up on (the slow one) keeps its thread here: not counted.
        counted = 0 if how == "slow" else 1
        with server.lock:
            server.agents.append(self.headers.get("User-Agent", ""))
            server.busy += counted
            server.peak = max(server.peak, server.busy)
        try:
            self.answer(how)
        finally:
            with server.lock:
                server.busy -= counted

    def answer(self, how: str):
        time.sleep(0.2)  # long enough for requests to overlap
        if how == "slow":
            time.sleep(3)
        if how == "reset":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            return
        if how.startswith("->"):
            self.send_response(301)
            self.send_header("Location", how[2:])
            self.end_headers()
            return
        self.send_response(int(how))
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(b"<p>page</p>")


@pytest.fixture
def source_site():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Source)
    server.lock, server.agents, server.busy, server.peak = threading.Lock(), [], 0, 0
    base = f"http://127.0.0.1:{server.server_port}/"
    server.answers = {
        "fine": "200",
        "ok": "200",
        "old": "->" + base + "new",
        "new": "200",
        "missing": "404",
        "gone": "410",
        "slow": "slow",
        "reset": "reset",
    }
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server, base
    server.shutdown()


def cite_each(archive, base: str) -> None:
    for path in PATHS:
        document = archive.content / "articles" / f"{path}.md"
        document.write_text(GOOD.format(name=path, url=base + path), encoding="utf-8")


def test_each_answer_is_recorded_a_second_run_reports_only_changes_and_pages_say_so(
    archive, source_site, tmp_path
):
    server, base = source_site
    cite_each(archive, base)
    first = archive("links", "--timeout", "1")
    assert first.exit_code == 0, first.output
    recorded = yaml.safe_load((archive.content / "links.yml").read_text(encoding="utf-8"))
    states = {url.removeprefix(base): entry for url, entry in recorded.items()}
    assert states["ok"]["state"] == "ok" and states["ok"]["http"] == 200
    assert states["old"] == {**states["old"], "state": "moved", "http": 301, "final": base + "new"}
    assert states["missing"]["state"] == "gone" and states["missing"]["http"] == 404
    assert states["gone"]["state"] == "gone" and states["gone"]["http"] == 410
    assert states["slow"] == {**states["slow"], "state": "unreachable", "error": "timeout"}
    assert states["reset"] == {
        **states["reset"],
        "state": "unreachable",
        "error": "connection reset",
    }
    assert "First check: 5 address(es) do not simply answer" in first.output
    assert f"  {base}missing: gone (HTTP 404)" in first.output
    assert "cited by articles/missing.md" in first.output
    # Politeness: a neutral agent, never more than two requests at once to one host.
    assert set(server.agents) == {NEUTRAL_AGENT} and server.peak == 2

    second = archive("links", "--timeout", "1")
    assert "Changed since the last check" in second.output and ": 0" in second.output
    assert base not in second.output  # nothing listed

    server.answers["ok"] = "410"
    third = archive("links", "--timeout", "1", "--identify")
    listed = [line for line in third.output.splitlines() if line.startswith("  http")]
    assert listed == [f"  {base}ok: ok (HTTP 200) -> gone (HTTP 410)"]
    assert server.agents[-1].startswith("Documentary Archive link check")
    assert archive("check").exit_code == 0  # links.yml is a file the archive reads

    site = build(archive.content, tmp_path / "output")
    notes = {}
    for path in PATHS:
        page = soup(site / "documents" / "syria-war" / "2019" / f"{path}.html")
        note = page.select_one(".provenance__link-state")
        notes[path] = (note.get_text(" ", strip=True), note.a["href"]) if note else None
    assert notes["fine"] is None  # an address that answers is shown as it is
    assert notes["ok"][0].startswith("When checked on") and "(HTTP 410)" in notes["ok"][0]
    assert notes["old"][0].endswith(f"led elsewhere: {base}new . The Wayback Machine's copy")
    assert "did not answer" in notes["slow"][0] and "did not answer" in notes["reset"][0]
    assert notes["missing"][1] == f"https://web.archive.org/web/20190501/{base}missing"
    spanish = soup(site / "es" / "documents" / "syria-war" / "2019" / "gone.html")
    assert "no estaba la página" in spanish.select_one(".provenance__link-state").get_text()


def test_a_proxy_in_the_environment_is_used(archive, monkeypatch):
    """Every request goes through the proxy set in http_proxy: the address is never looked
    up here (it could not be: .invalid names nothing)."""

    class Proxy(http.server.BaseHTTPRequestHandler):
        asked: list[str] = []

        def log_message(self, *args):
            pass

        def do_GET(self):  # noqa: N802
            Proxy.asked.append(self.path)
            self.send_response(200)
            self.end_headers()

    proxy = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    for name in ("no_proxy", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("http_proxy", f"http://127.0.0.1:{proxy.server_port}")
    document = archive.content / "articles" / "far.md"
    document.write_text(GOOD.format(name="far", url="http://source.invalid/report"))
    done = archive("links", "--timeout", "2")
    proxy.shutdown()
    assert done.exit_code == 0, done.output
    assert Proxy.asked == ["http://source.invalid/report"]
    recorded = yaml.safe_load((archive.content / "links.yml").read_text(encoding="utf-8"))
    assert recorded["http://source.invalid/report"]["state"] == "ok"
