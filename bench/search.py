"""Search at scale: index size, bytes loaded before the first results, and time to them.

Measured in headless Chromium (Debian's) on the benchmark's own output, served over HTTP on
127.0.0.1 and opened from disk: each query is opened cold (a fresh browser context, nothing
cached) as a reader following a link to search.html?q=…, five times; the figures are the
median time from the start of navigation to the first result on screen, and the bytes of
every file the page had loaded by then (page, styles, scripts and index files alike).

The anchor, Pagefind, is measured the same way on Hugo's output (`measure_pagefind`): a
harness page of ours in Hugo's public folder (`write_harness`; not Pagefind's default UI,
whose own rendering would be timed too) imports Pagefind's `pagefind.js`, merges the other
languages' indexes into its English one (ours searches every language at once), searches,
and asks the first result for its data (`data()`: title, excerpt, address); the time runs from
the start of navigation to that data being there. Its files are counted as the server handed
them out, since Pagefind fetches most of them from a web worker, out of the page's sight.
Pagefind is measured served only: its bundle fetch()es its files, which a browser refuses
from file://, so it runs from disk only with its bundle patched.

Bytes are given raw and gzipped (`sizes`): raw is a file's content (Pagefind's index files
are stored gzipped: raw is their content unzipped), gzip what a server compressing at
gzip's default level sends (Pagefind's stored files as they are).
"""

from __future__ import annotations

import functools
import gzip
import http.server
import json
import statistics
import threading
import time
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


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a folder without logging each request (the bench's own output stays readable)."""

    def log_message(self, *args):
        """Nothing: no line per request."""


class _Logged(QuietHandler):
    """Serves a folder and notes every path asked for in the server's `asked` list."""

    def send_head(self):
        self.server.asked.append(urlsplit(self.path).path)
        return super().send_head()


def sizes(path: Path) -> tuple[int, int]:
    """The bytes of a file raw and gzipped: (its content, what a gzipping server sends).

    A file stored gzipped (Pagefind's index, metadata, fragments and WebAssembly) is sent as
    it is; its raw size is its content's, unzipped.
    """
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        return len(gzip.decompress(data)), len(data)
    return len(data), len(gzip.compress(data, compresslevel=6, mtime=0))


def folder_bytes(folder: Path) -> int:
    """Bytes of every file below `folder`."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def rare_query(content: Path) -> str:
    """A name few documents carry: the first village of the corpus' gazetteer."""
    places = yaml.safe_load((content / "registry" / "locations.yml").read_text(encoding="utf-8"))
    return next(entry["name"] for entry in places.values() if entry["type"] == "village")


def in_chromium(run):
    """`run(browser)` in a headless Chromium started for it, or None without Chromium.

    A caller given a Playwright browser already running (the tests share one) uses that one
    instead: Playwright's sync API cannot run twice in one process.
    """
    if not Path(CHROMIUM).exists():
        return None
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        started = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            return run(started)
        finally:
            started.close()


def measure(output: Path, queries: dict[str, str], browser=None) -> dict | None:
    """Figures for each query ({label: query}) in both modes, or None without Chromium.

    `browser`: a Playwright browser already running (the tests share one); else one is
    started here (Playwright's sync API cannot run twice in one process).
    """
    if browser is None:
        return in_chromium(lambda started: measure(output, queries, started))
    handler = functools.partial(QuietHandler, directory=str(output))
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
    return _medians([_first_results(browser, url, output) for _ in range(LOADS)])


def _medians(runs: list[dict]) -> dict:
    """The median of each figure of LOADS cold loads (either engine's), and the last status."""
    return {
        "first_results_s": statistics.median(run["seconds"] for run in runs),
        "loaded_kb": statistics.median(run["bytes"] for run in runs) / 1e3,
        "loaded_gzip_kb": statistics.median(run["gzip_bytes"] for run in runs) / 1e3,
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
    measured = [_size(address, output) for address in names]
    return {
        "seconds": seconds,
        "bytes": sum(raw for raw, _ in measured),
        "gzip_bytes": sum(packed for _, packed in measured),
        "files": len(names),
        "status": status,
    }


def _size(address: str, output: Path) -> tuple[int, int]:
    """Bytes, raw and gzipped, of the file behind a served or file:// address (0 if none)."""
    path = unquote(urlsplit(address).path)
    prefix = unquote(urlsplit(output.as_uri()).path)
    relative = path[len(prefix) :] if path.startswith(prefix) else path
    target = output / relative.lstrip("/")
    return sizes(target) if target.is_file() else (0, 0)


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
                f"search ours {mode:<6} {label:<5} {query!r}: first results"
                f" {m['first_results_s']:.2f} s, {m['loaded_kb']:.0f} kB raw"
                f" ({m['loaded_gzip_kb']:.0f} kB gzipped) in {m['files']:.0f} files before them"
                f" ({m['status']}); gate {GATE_KB} kB raw / {GATE_S} s: {verdict}"
            )
    lines.append(f"search ours index: {figures['index_mb']:.1f} MB")
    return lines


#: The page `write_harness` puts in a Pagefind site: search the `q` of its address with
#: Pagefind's browser API, every language's index merged into the page's own (English), and
#: note when the first result's data is there. `window.__search` runs further queries.
HARNESS = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Pagefind, measured</title></head>
<body>
<p id="state">loading</p>
<script type="module">
const pagefind = await import("./pagefind/pagefind.js");
// The page's own language is searched by pagefind.js itself; a path written differently
// from its own (the origin in front) is how a bundle's other languages are merged.
for (const language of LANGUAGES) {
  if (language !== "en") {
    await pagefind.mergeIndex(location.origin + "/pagefind/", { language });
  }
}
window.__search = async (query, filters, count) => {
  const search = await pagefind.search(query, { filters });
  const data = await Promise.all(search.results.slice(0, count).map((r) => r.data()));
  return { total: search.results.length, urls: data.map((d) => d.url) };
};
const query = new URLSearchParams(location.search).get("q");
if (query !== null) {
  const search = await pagefind.search(query);
  if (search.results.length) await search.results[0].data();
  window.__firstResult = performance.now();
  document.getElementById("state").textContent = `${search.results.length} results`;
}
window.__ready = true;
</script>
</body>
</html>
"""
#: Where write_harness puts it, in the site's folder.
HARNESS_PAGE = "pagefind-harness.html"


def write_harness(site: Path) -> list[str]:
    """Write the Pagefind harness page into an indexed site; return the languages it merges."""
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    languages = sorted(entry["languages"])
    page = HARNESS.replace("LANGUAGES", json.dumps(languages))
    (site / HARNESS_PAGE).write_text(page, encoding="utf-8")
    return languages


#: Why Pagefind has no figures from disk.
PAGEFIND_FROM_DISK = (
    "not measured: Pagefind's bundle fetch()es its files, which a browser refuses from"
    " file://; it runs from disk only with its bundle patched"
)


def measure_pagefind(public: Path, queries: dict[str, str], browser=None) -> dict | None:
    """Pagefind's figures on an indexed site (Hugo's public folder), served.

    None without Chromium or an index. The harness page is written into `public`.
    """
    if not (public / "pagefind" / "pagefind-entry.json").is_file():
        return None
    if browser is None:
        return in_chromium(lambda started: measure_pagefind(public, queries, started))
    languages = write_harness(public)
    handler = functools.partial(_Logged, directory=str(public))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.asked = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    address = f"http://127.0.0.1:{server.server_port}/{HARNESS_PAGE}"
    figures = {
        "index_mb": folder_bytes(public / "pagefind") / 1e6,
        "queries": queries,
        "languages": languages,
        "disk": PAGEFIND_FROM_DISK,
    }
    try:
        figures["served"] = {
            label: _pagefind_cold_loads(browser, f"{address}?q={quote(query)}", public, server)
            for label, query in queries.items()
        }
    finally:
        server.shutdown()
    return figures


def _pagefind_cold_loads(browser, url: str, public: Path, server) -> dict:
    return _medians([_pagefind_first_result(browser, url, public, server) for _ in range(LOADS)])


def _pagefind_first_result(browser, url: str, public: Path, server) -> dict:
    """One cold load of the harness: seconds until the first result's data, files served."""
    context = browser.new_context()
    page = context.new_page()
    server.asked.clear()
    page.goto(url)
    page.wait_for_function("window.__firstResult !== undefined", timeout=120000)
    seconds = page.evaluate("window.__firstResult") / 1000
    # The harness asks for nothing after its first result: every file served so far came
    # before it. A settling pause lets a request already on its way be counted too.
    time.sleep(0.2)
    status = page.inner_text("#state")
    context.close()
    # Files only: the browser's own ask for /favicon.ico finds none.
    files = {public / unquote(path).lstrip("/") for path in server.asked}
    asked = [path for path in files if path.is_file()]
    measured = [sizes(path) for path in asked]
    return {
        "seconds": seconds,
        "bytes": sum(raw for raw, _ in measured),
        "gzip_bytes": sum(packed for _, packed in measured),
        "files": len(asked),
        "status": status,
    }


def report_pagefind(figures: dict) -> list[str]:
    """Lines for the bench's table: Pagefind's figures beside ours (no gate: an anchor)."""
    lines = []
    for label, query in figures["queries"].items():
        m = figures["served"][label]
        lines.append(
            f"search pagefind served {label:<5} {query!r}: first result's data"
            f" {m['first_results_s']:.2f} s, {m['loaded_kb']:.0f} kB raw"
            f" ({m['loaded_gzip_kb']:.0f} kB gzipped) in {m['files']:.0f} files before it"
            f" ({m['status']}, indexes {'+'.join(figures['languages'])} merged)"
        )
    lines.append(f"search pagefind disk: {figures['disk']}")
    lines.append(f"search pagefind index: {figures['index_mb']:.1f} MB")
    return lines
