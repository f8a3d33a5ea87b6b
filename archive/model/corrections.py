"""Corrections an editor forgot to list: `archive check` compares a document's history in git.

A published document's text may change only with a public note: an item in its
`corrections:` list. `archive check` finds the newest version git knows (the working copy
included) whose text differs from the version before it, once the document was published;
that change is covered if its own version added a correction, or, for a commit, if the
document's last listed correction is dated on or after the commit's day. Otherwise it warns
and names the commit (or the uncommitted working copy). It only warns: the
build never looks at git, so the site is the same from any clone, shallow or not, and a
folder that is not a git repository is simply not checked.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from archive.model.problems import WARNING, ArchiveError, Problem
from archive.model.sourcefile import split_front_matter

#: The origin of the version on disk, which may not be committed yet.
WORKING_COPY = "working copy"


@dataclass(frozen=True)
class Version:
    """One version of a document: where it comes from and what matters to corrections."""

    origin: str  # a commit hash, or WORKING_COPY
    date: str  # the commit's date (YYYY-MM-DD); "" for the working copy
    body: str
    published: bool  # not a draft
    corrections: int
    last_correction: str = ""  # the newest correction's date (YYYY-MM-DD), "" if none


def git_output(top: Path, *args: str) -> str | None:
    """A git command's output in the repository at `top`, or None if git fails."""
    try:
        done = subprocess.run(
            ["git", "-C", str(top), *args], capture_output=True, text=True, timeout=120
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def _version(origin: str, date: str, text: str | None, path: str) -> Version | None:
    """A version read from its text (None if it is missing or not a readable document)."""
    if text is None:
        return None
    try:
        front, body, _ = split_front_matter(path, text)
    except ArchiveError:
        return None
    data = front.value if isinstance(front.value, dict) else {}
    corrections = data.get("corrections")
    dates = [
        str(item.get("date"))
        for item in (corrections if isinstance(corrections, list) else [])
        if isinstance(item, dict) and item.get("date")
    ]
    return Version(
        origin=origin,
        date=date,
        body=body.strip(),
        published=data.get("status", "published") != "draft",
        corrections=len(corrections) if isinstance(corrections, list) else 0,
        last_correction=max(dates, default=""),
    )


def history(top: Path, relative: str, working: Path) -> list[Version]:
    """Every committed version of a file, oldest first, then its working copy if it differs."""
    log = git_output(top, "log", "--format=%H %cs", "--no-renames", "--", relative) or ""
    versions = []
    for line in reversed(log.split("\n")):
        if line.strip():
            commit, date = line.split()
            shown = git_output(top, "show", f"{commit}:{relative}")
            found = _version(commit, date, shown, relative)
            if found:
                versions.append(found)
    current = _version(WORKING_COPY, "", working.read_text(encoding="utf-8"), relative)
    return versions + [current] if current else versions


def uncorrected_change(versions: list[Version]) -> Version | None:
    """The newest change of a published text, if no correction covers it (else None)."""
    steps = list(zip(versions, versions[1:], strict=False))
    changed = [(b, a) for b, a in steps if b.published and a.body != b.body]
    if not changed:
        return None
    before, after = changed[-1]
    if after.corrections > before.corrections:
        return None  # the change came with its correction
    if after.origin != WORKING_COPY and versions[-1].last_correction >= after.date:
        return None  # a correction listed since is dated on or after the change
    return after


def uncorrected_changes(content: Path, files: list[Path]) -> list[Problem]:
    """Published documents among `files` whose text git shows changed without a correction."""
    top_text = git_output(content, "rev-parse", "--show-toplevel")
    if not top_text:
        return []
    top = Path(top_text.strip())
    commits = _count_commits(top, content)
    edited = set(
        (git_output(top, "diff", "--name-only", "HEAD", "--", str(content)) or "").split("\n")
    )
    problems = []
    for path in files:
        relative = path.resolve().relative_to(top).as_posix()
        if commits.get(relative, 0) + (relative in edited) < 2:
            continue  # one version only: nothing changed since it was added
        found = uncorrected_change(history(top, relative, path))
        if found:
            problems.append(
                Problem(
                    path.resolve().relative_to(content.resolve()).as_posix(),
                    None,
                    f"its text changed {_when(found)} after it was published, and no "
                    "correction says so",
                    "add an item to 'corrections:' with the date and a note for readers "
                    "saying what changed",
                    WARNING,
                )
            )
    return problems


def _when(version: Version) -> str:
    if version.origin == WORKING_COPY:
        return "in the working copy (not yet committed)"
    return f"in commit {version.origin[:10]} of {version.date}"


def _count_commits(top: Path, content: Path) -> dict[str, int]:
    """How many commits touched each file under `content` (one pass over the log)."""
    counts: dict[str, int] = {}
    log = (
        git_output(top, "log", "--format=", "--name-only", "--no-renames", "--", str(content)) or ""
    )
    for name in log.split("\n"):
        if name:
            counts[name] = counts.get(name, 0) + 1
    return counts


def uncorrected_change_warnings(content: Path, files: list[Path], settings: dict) -> list[Problem]:
    """The uncorrected changes to the documents among `files`, as warnings.

    Site pages have no corrections. A warning does not fail the check: the note is asked
    for, and the change may still be published.
    """
    pages = [content / folder for folder in settings.get("PAGE_PATHS", ["pages"])]
    documents = [path for path in files if not any(f in path.parents for f in pages)]
    return uncorrected_changes(content, documents)
