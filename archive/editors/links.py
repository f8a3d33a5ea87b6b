"""`archive links`: ask every address the documents cite how it answers now.

Every original's (`source.url`) and intermediary's (`via.url`) address is asked once, with a
GET whose answer is not read past its headers, several at a time but never more than
PER_HOST at once of one host (some are small sites; some are ministries of parties to a war),
each with a timeout. The request names no archive: its user agent is a browser's unless the
editor chooses to identify the archive (`--identify`), since a source may take note of who
reads it. A proxy set in the environment (`https_proxy`, `http_proxy`) is used, as urllib
does. What each address did is recorded in content/links.yml (archive/model/link_states.py)
and what changed since the last check is reported; the build reads the record, never the
network.
"""

from __future__ import annotations

import datetime as dt
import http.client
import socket
import ssl
import threading
import urllib.error
import urllib.request
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from archive.model.documents import parse_document, site_defaults
from archive.model.inventory import is_document_file
from archive.model.link_states import FAILING, GONE, MOVED, OK, UNREACHABLE, LinkState
from archive.model.problems import ArchiveError
from archive.model.registries import load_registries

#: A common browser's user agent: nothing in it says an archive is asking.
NEUTRAL_AGENT = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
#: At most this many requests to one host at a time.
PER_HOST = 2
#: Requests at a time, over all hosts.
WORKERS = 8
#: Seconds an address has to answer.
TIMEOUT = 20.0


@dataclass(frozen=True)
class Cited:
    """An address and the documents that cite it (their files, relative to content/)."""

    url: str
    documents: tuple[str, ...]


def cited_addresses(content: Path, settings: dict) -> list[Cited]:
    """Every original's and intermediary's address, with the documents citing it.

    A document that does not parse is skipped: `archive check` names it.
    """
    registries, defaults = load_registries(content), site_defaults(settings)
    cited: dict[str, list[str]] = defaultdict(list)
    for folder in settings.get("ARTICLE_PATHS", ["articles"]):
        for path in sorted((content / folder).rglob("*")):
            if not (path.is_file() and is_document_file(path)):
                continue
            display = path.relative_to(content).as_posix()
            try:
                document, _ = parse_document(display, path.read_bytes(), registries, defaults)
            except ArchiveError:
                continue
            for url in (document.source.url, document.via.url if document.via else ""):
                if url and display not in cited[url]:
                    cited[url].append(display)
    return [Cited(url, tuple(documents)) for url, documents in sorted(cited.items())]


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follows redirects as urllib does, noting the status of the first."""

    def __init__(self):
        self.first: int | None = None

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: PLR0913 - urllib's
        if self.first is None:
            self.first = code
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def ask(url: str, agent: str, timeout: float, today: dt.date) -> LinkState:
    """How `url` answers now: one GET, redirects followed, the body left unread."""
    redirects = _Redirects()
    opener = urllib.request.build_opener(redirects)  # with the environment's proxies
    request = urllib.request.Request(url, headers={"User-Agent": agent, "Accept": "*/*"})
    try:
        with opener.open(request, timeout=timeout) as response:
            final = response.geturl()
            if redirects.first is not None and final != url:
                return LinkState(MOVED, today, redirects.first, final=final)
            return LinkState(OK, today, response.status)
    except urllib.error.HTTPError as error:
        state = GONE if error.code in (404, 410) else FAILING
        return LinkState(state, today, redirects.first or error.code)
    except urllib.error.URLError as error:
        return LinkState(UNREACHABLE, today, error=_why(error.reason))
    except (OSError, http.client.HTTPException) as error:
        return LinkState(UNREACHABLE, today, error=_why(error))


def _why(reason) -> str:
    """Why an address gave no answer, in a few words an editor understands."""
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return "timeout"
    if isinstance(reason, ConnectionResetError):
        return "connection reset"
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, socket.gaierror):
        return "no such host"
    if isinstance(reason, ssl.SSLError):
        return "TLS error"
    if isinstance(reason, http.client.RemoteDisconnected):
        return "closed without an answer"
    return str(reason) or type(reason).__name__


def check_all(
    urls: list[str],
    agent: str = NEUTRAL_AGENT,
    timeout: float = TIMEOUT,
    workers: int = WORKERS,
    per_host: int = PER_HOST,
) -> dict[str, LinkState]:
    """Ask every address, several at a time, never more than `per_host` of one host."""
    today = dt.date.today()
    hosts: dict[str, threading.Semaphore] = defaultdict(lambda: threading.Semaphore(per_host))
    lock = threading.Lock()

    def one(url: str) -> LinkState:
        with lock:
            host = hosts[urlsplit(url).netloc.lower()]
        with host:
            return ask(url, agent, timeout, today)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return dict(zip(urls, pool.map(one, urls), strict=True))
