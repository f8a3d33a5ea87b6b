"""A document's chain of custody, as the importer records it and completes it later.

The importer reads the intermediary (who republished the page, when, under what notice) from
the page itself. Documents imported before the archive recorded that chain are brought up to
date when their page is imported again: what the page says is added, and what only the
repository knows (the day a document first reached the main branch, the day its capture was
committed) is read from git once and written into the front matter, so that the build never
reads git and every clone builds the same site. Curated fields are never rewritten; the one
exception is a `published:` date an earlier importer copied from the intermediary, which was
never the day this archive published the document.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from ruamel.yaml.comments import CommentedMap

from archive.editors.importer import Draft, detect_language
from archive.editors.registry_edit import round_trip
from archive.model.corrections import git_output
from archive.model.problems import ArchiveError
from archive.model.registries import Registries
from archive.model.sourcefile import decode, split_front_matter, write_source

#: The branches whose history says when a document went public, the first that exists.
MAIN_BRANCHES = ("main", "master")


def via_fields(draft: Draft, url: str, registries: Registries) -> dict:
    """The `via:` front matter of a page's intermediary.

    Its registry name, the address of its copy (the address the page was captured from), its
    date and its notice (with the notice's language, which is often not the text's).
    """
    if not draft.via:
        return {}
    fields = {
        "publisher": registries.publishers.terms[draft.via].name,
        "url": url,
        "date": draft.via_date,
        "rights": draft.via_rights,
        "rights_language": detect_language(draft.via_rights),
    }
    return {key: value for key, value in fields.items() if value}


def first_on_main(path: Path) -> dt.date | None:
    """The day the commit that first added `path` to the main branch was made, or None.

    None when the folder is not a git repository, has no main branch, or the file never
    reached it.
    """
    top = (git_output(path.parent, "rev-parse", "--show-toplevel") or "").strip()
    if not top:
        return None
    branch = next(
        (b for b in MAIN_BRANCHES if git_output(Path(top), "rev-parse", "--verify", "-q", b)),
        None,
    )
    if branch is None:
        return None
    log = git_output(
        Path(top), "log", branch, "--diff-filter=A", "--follow", "--format=%cs", "--", str(path)
    )
    dates = (log or "").split()
    return dt.date.fromisoformat(dates[-1]) if dates else None


def complete_custody(
    content: Path, document: Path, draft: Draft, registries: Registries
) -> list[str]:
    """Add to an already imported document what its page and git say of its custody.

    Returns what was added, in words for the import summary ([] if nothing was missing).
    """
    try:
        text = decode(str(document), document.read_bytes())
        front, _, _ = split_front_matter(str(document), text)
    except ArchiveError:
        return []  # `archive check` reports it; nothing can be added safely
    if not isinstance(front.value, dict):
        return []
    opening, rest = text.split("\n", 1)
    raw, closing = rest.split("\n---", 1)
    data = round_trip().load(raw)
    added = []
    capture = data.get("capture") if isinstance(data.get("capture"), dict) else None
    via = via_fields(draft, capture.get("url", "") if capture else "", registries)
    if "via" not in data and via:
        data.insert(
            list(data).index("source") + 1 if "source" in data else len(data),
            "via",
            CommentedMap(via),
        )
        added.append("intermediary")
    if draft.via_date and data.get("published") == draft.via_date:
        published = first_on_main(document)
        if published:
            data["published"] = published
            added.append("date in this archive (from git)")
    if capture and not capture.get("captured") and not capture.get("committed"):
        committed = first_on_main(content / str(capture.get("file", "")))
        if committed:
            capture["committed"] = committed
            added.append("capture's date in the repository (from git)")
    if added:
        out = io.StringIO()
        round_trip().dump(data, out)
        write_source(document, f"{opening}\n{out.getvalue()}---{closing}")
    return added
