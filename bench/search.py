"""Search at scale: index size, bytes loaded before the first results, and time to them.

Measured in headless Chromium (Debian's) on the benchmark's own output, served over HTTP on
127.0.0.1 and opened from disk: each query is opened cold (a fresh browser context, nothing
cached) as a reader following a link to search.html?q=…, five times; the figures are the
median time from the start of navigation to the first result on screen, and the bytes of
every file the page had loaded by then (page, styles, scripts and index files alike).
"""

from __future__ import annotations

import functools
import http.server
import statistics
import threading
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import yaml

CHROMIUM = "/usr/bin/chromium"
#: Headless Chromium on a machine without network (the tests use them too): stop its
#: background calls home, which only log errors.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
#: Cold loads per query and mode; the median is reported.
LOADS = 5
#: The issue's gates at 10,000 documents.
GATE_KB, GATE_S = 300, 0.5
#: Records, in the page, when the first result appears (performance.now() is measured from
#: the start of navigation) and which scripts and stylesheets it had asked for by then.
WATCH_FIRST_RESULT = """
new MutationObserver((changes, observer) => {
  if (document.querySelector('.search__result')) {
    window.__firstResult = performance.now();
    window.__filesBefore = [
      ...Array.from(document.querySelectorAll('script[src]'), (script) => script.src),
      ...Array.from(document.querySelectorAll('link[rel=stylesheet]'), (link) => link.href),
    ];
    observer.disconnect();
  }
}).observe(document, {childList: true, subtree: true});
"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def folder_bytes(folder: Path) -> int:
    """Bytes of every file below `folder`."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def rare_query(content: Path) -> str:
    """A name few documents carry: the first village of the corpus' gazetteer."""
    places = yaml.safe_load((content / "registry" / "locations.yml").read_text(encoding="utf-8"))
    return next(entry["name"] for entry in places.values() if entry["type"] == "village")


def measure(output: Path, queries: dict[str, str], browser=None) -> dict | None:
    """Figures for each query ({label: query}) in both modes, or None without Chromium.

    `browser`: a Playwright browser already running (the tests share one); else one is
    started here (Playwright's sync API cannot run twice in one process).
    """
    if browser is None:
        if not Path(CHROMIUM).exists():
            return None
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            started = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            try:
                return measure(output, queries, started)
            finally:
                started.close()
    handler = functools.partial(_Quiet, directory=str(output))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    figures = {"index_mb": folder_bytes(output / "search-index") / 1e6, "queries": queries}
    try:
        for mode, page_url in (
            ("served", f"http://127.0.0.1:{server.server_port}/search.html"),
            ("disk", (output / "search.html").as_uri()),
        ):
            figures[mode] = {
                label: _cold_loads(browser, f"{page_url}?q={quote(query)}", output)
                for label, query in queries.items()
            }
    finally:
        server.shutdown()
    return figures


def _cold_loads(browser, url: str, output: Path) -> dict:
    runs = [_first_results(browser, url, output) for _ in range(LOADS)]
    return {
        "first_results_s": statistics.median(run["seconds"] for run in runs),
        "loaded_kb": statistics.median(run["bytes"] for run in runs) / 1e3,
        "files": statistics.median(run["files"] for run in runs),
        "status": runs[-1]["status"],
    }


def _first_results(browser, url: str, output: Path) -> dict:
    """One cold load of `url`: seconds and bytes until its first result is on screen."""
    context = browser.new_context()
    context.add_init_script(WATCH_FIRST_RESULT)
    page = context.new_page()
    page.goto(url)
    page.wait_for_function("window.__firstResult !== undefined", timeout=120000)
    seconds = page.evaluate("window.__firstResult") / 1000
    # Every script and stylesheet the page had asked for by then (index files are scripts),
    # the same way served and from disk.
    before = page.evaluate("window.__filesBefore")
    status = page.inner_text(".search__status")
    context.close()
    names = set(before) | {url}
    return {
        "seconds": seconds,
        "bytes": sum(_size(address, output) for address in names),
        "files": len(names),
        "status": status,
    }


def _size(address: str, output: Path) -> int:
    """Bytes of the file behind a served or file:// address."""
    path = unquote(urlsplit(address).path)
    prefix = unquote(urlsplit(output.as_uri()).path)
    relative = path[len(prefix) :] if path.startswith(prefix) else path
    target = output / relative.lstrip("/")
    return target.stat().st_size if target.is_file() else 0


def report(figures: dict) -> list[str]:
    """Lines for the bench's table: each mode and query, against the gates."""
    lines = []
    for mode in ("served", "disk"):
        for label, query in figures["queries"].items():
            m = figures[mode][label]
            verdict = (
                "ok"
                if m["loaded_kb"] <= GATE_KB and m["first_results_s"] <= GATE_S
                else "OVER THE GATE"
            )
            lines.append(
                f"search {mode:<6} {label:<5} {query!r}: first results"
                f" {m['first_results_s']:.2f} s,"
                f" {m['loaded_kb']:.0f} kB in {m['files']:.0f} files before them ({m['status']});"
                f" gate {GATE_KB} kB / {GATE_S} s: {verdict}"
            )
    lines.append(f"search index: {figures['index_mb']:.1f} MB")
    return lines
