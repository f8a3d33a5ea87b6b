"""What became of the addresses documents cite: the record `archive links` keeps.

Sources rot: an original is taken down, a ministry's site is moved, an intermediary closes. An
editor runs `archive links` now and then; it asks every original's and intermediary's
address and records, in `content/links.yml` (committed like any source), how each answered
and when. The build reads that record and never the network, so every clone builds the same
site: a document whose source no longer answers says so, with the date it was checked and a
link to the Wayback Machine's copy of that address around the date the document gives.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import yaml

from archive.model.sourcefile import load_yaml, write_source

#: The record, under the content folder (the build reads it; `archive links` writes it).
LINKS_FILE = "links.yml"

#: What an address did when it was asked, from the reader's point of view.
OK, MOVED, GONE, FAILING, UNREACHABLE = "ok", "moved", "gone", "failing", "unreachable"
#: The states a document page tells its readers about.
SHOWN = (MOVED, GONE, UNREACHABLE)


@dataclass(frozen=True)
class LinkState:
    """How one address answered when it was last checked.

    `state`: ok (it answers, at this address), moved (it leads elsewhere, which answers:
    `final`), gone (404 or 410), failing (another HTTP error: 403, 429, 5xx, which may pass),
    unreachable (no answer: a timeout, a reset, no such host: `error` says which). `http` is
    the first status the address itself gave (301 for a moved one), None without an answer.
    """

    state: str
    checked: dt.date
    http: int | None = None
    final: str = ""
    error: str = ""

    def record(self) -> dict:
        """The YAML entry, without empty parts."""
        entry = {"state": self.state, "checked": self.checked, "http": self.http}
        entry |= {"final": self.final, "error": self.error}
        return {key: value for key, value in entry.items() if value not in (None, "")}

    def change_from(self, before: LinkState | None) -> bool:
        """Whether this differs from the last check in anything but its date."""
        if before is None:
            return True
        return (self.state, self.http, self.final, self.error) != (
            before.state,
            before.http,
            before.final,
            before.error,
        )

    def in_words(self) -> str:
        """The state for an editor: "gone (HTTP 404)", "moved to …", "unreachable (timeout)"."""
        if self.state == MOVED:
            return f"moved (HTTP {self.http}) to {self.final}"
        if self.state == UNREACHABLE:
            return f"unreachable ({self.error})"
        return f"{self.state} (HTTP {self.http})" if self.http else self.state


def load_states(content: Path) -> dict[str, LinkState]:
    """The record of the last check (address -> state); empty if there was none."""
    path = content / LINKS_FILE
    if not path.is_file():
        return {}
    data = load_yaml(LINKS_FILE, path.read_text(encoding="utf-8")).value or {}
    states = {}
    for url, entry in data.items():
        if isinstance(entry, dict) and entry.get("state") and entry.get("checked"):
            states[str(url)] = LinkState(
                state=str(entry["state"]),
                checked=entry["checked"],
                http=entry.get("http"),
                final=str(entry.get("final") or ""),
                error=str(entry.get("error") or ""),
            )
    return states


HEADER = """\
# Written by `archive links`: how each original's and intermediary's address answered when
# it was last checked. The build reads it (never the network); commit it after a check.
"""


def save_states(content: Path, states: dict[str, LinkState]) -> None:
    """Write the record, addresses in order, so that a check's diff shows only changes."""
    records = {url: states[url].record() for url in sorted(states)}
    text = yaml.dump(records, Dumper=_Plain, allow_unicode=True, sort_keys=False, width=1000)
    write_source(content / LINKS_FILE, HEADER + text)


class _Plain(yaml.SafeDumper):
    """Writes each value out in full, never as a YAML alias.

    PyYAML writes an alias for a value several entries share (one day's date), and the
    archive's loader refuses aliases.
    """

    def ignore_aliases(self, data) -> bool:
        return True


def wayback(url: str, date: dt.date | None) -> str:
    """The Wayback Machine's copy of `url` nearest to `date` (its latest without a date).

    Computed, never asked: the archive's build touches no network.
    """
    moment = date.strftime("%Y%m%d") if date else "2"
    return f"https://web.archive.org/web/{moment}/{quote(url, safe=':/?#[]@!$&()*+,;=%~')}"
