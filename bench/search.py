"""Search at scale: index sizes, bytes a first query loads, and time to its first results.

Measured in headless Chromium (Debian's) on the benchmark's own output, once served over
HTTP on 127.0.0.1 (Pagefind) and once opened from disk (the offline index).
"""

from __future__ import annotations

import functools
import http.server
import threading
import time
from pathlib import Path

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


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def folder_bytes(folder: Path) -> int:
    """Bytes of every file below `folder`."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def measure(output: Path, query: str) -> dict | None:
    """Figures for one query in both modes, or None when Chromium is not installed."""
    if not Path(CHROMIUM).exists():
        return None
    from playwright.sync_api import sync_playwright

    handler = functools.partial(_Quiet, directory=str(output))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    figures = {
        "pagefind_index_mb": folder_bytes(output / "pagefind") / 1e6,
        "offline_index_mb": folder_bytes(output / "search-index") / 1e6,
        "query": query,
    }
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            for mode, url in (
                ("served", f"http://127.0.0.1:{server.server_port}/search.html"),
                ("disk", (output / "search.html").as_uri()),
            ):
                figures[mode] = _first_query(browser, url, query, output)
            browser.close()
    finally:
        server.shutdown()
    return figures


def _first_query(browser, url: str, query: str, output: Path) -> dict:
    context = browser.new_context()
    page = context.new_page()
    loaded: list[str] = []
    page.on("requestfinished", lambda request: loaded.append(request.url))
    page.goto(url)
    page.wait_for_function("document.querySelector('[data-engine]') !== null", timeout=120000)
    before = len(loaded)
    started = time.perf_counter()
    page.fill("#search-query", query)
    page.press("#search-query", "Enter")
    page.wait_for_selector(".search__result", timeout=120000)
    elapsed = time.perf_counter() - started
    total = page.inner_text(".search__status")
    context.close()

    def size(address: str) -> int:
        path = address.split("?")[0]
        path = (
            path.split("/", 3)[3] if path.startswith("http") else path[len(output.as_uri()) + 1 :]
        )
        target = output / path
        return target.stat().st_size if target.is_file() else 0

    return {
        "first_results_s": elapsed,
        "status": total,
        "page_load_kb": sum(size(u) for u in loaded[:before]) / 1e3,
        "query_kb": sum(size(u) for u in loaded[before:]) / 1e3,
        "files_loaded": len(loaded),
    }
