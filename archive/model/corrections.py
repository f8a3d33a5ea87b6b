"""Corrections an editor forgot to list: `archive check` compares a document's history in git.

A published document's text may change only with a public note: an item in its
`corrections:` list. A version was published when readers could read it: it was no draft,
and it was on the branch production is deployed from (`main`, netlify.toml), as one of
that branch's own commits (its first parents: each was the branch's tip, deployed, while a
pull request's commits reach it only through the merge). `origin/main` is read when the
clone has it (what was pushed, whatever the local `main` holds), else `main`. A document
written and edited on another branch was never published, and needs no note until it is.

`archive check` walks the versions the current branch holds in the same way (its first
parents, the working copy last) and finds the newest whose text differs from a published
version before it; that change is covered if its own version added a correction, or, for a
commit, if the document's last listed correction is dated on or after the commit's day.
Otherwise it warns and names the commit (or the uncommitted working copy). It only warns:
the build never looks at git, so the site is the same from any clone, shallow or not. A
folder that is not a git repository, or a clone with no `main` (CI's single-commit
checkout), is not checked. A branch merged by fast-forward or rebase puts each of its
commits on `main` itself: its edits before the merge then count as edits of a published text.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from archive.model.problems import WARNING, ArchiveError, Problem
from archive.model.sourcefile import split_front_matter

#: The origin of the version on disk, which may not be committed yet.
WORKING_COPY = "working copy"
#: The branch production is deployed from (netlify.toml), as pushed, then as this clone has it.
PRODUCTION_BRANCHES = ("origin/main", "main")


@dataclass(frozen=True)
class Version:
    """One version of a document: where it comes from and what matters to corrections."""

    origin: str  # a commit hash, or WORKING_COPY
    date: str  # the commit's date (YYYY-MM-DD); "" for the working copy
    body: str
    published: bool  # readers could read it: no draft, on the production branch
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


def production_commits(top: Path) -> set[str]:
    """The commits the production branch was deployed from: its first parents.

    Each was once its tip. Empty when the clone has no production branch: then nothing is
    known to be published.
    """
    for branch in PRODUCTION_BRANCHES:
        if git_output(top, "rev-parse", "--verify", "--quiet", f"{branch}^{{commit}}"):
            listed = git_output(top, "rev-list", "--first-parent", branch) or ""
            return set(listed.split())
    return set()


def _version(origin: str, date: str, text: str | None, path: str, deployed: bool) -> Version | None:
    """A version read from its text (None if it is missing or not a readable document).

    `deployed`: whether its commit is one production was deployed from.
    """
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
        published=deployed and data.get("status", "published") != "draft",
        corrections=len(corrections) if isinstance(corrections, list) else 0,
        last_correction=max(dates, default=""),
    )


def history(top: Path, relative: str, working: Path, deployed: set[str]) -> list[Version]:
    """The versions of a file on the current branch, oldest first, then its working copy.

    The branch's first parents: on `main`, the versions production had; on another branch,
    its own commits after those of `main` it started from. `deployed`: production_commits.
    """
    log = git_output(
        top, "log", "--first-parent", "--format=%H %cs", "--no-renames", "--", relative
    )
    versions = []
    for line in reversed((log or "").split("\n")):
        if line.strip():
            commit, date = line.split()
            shown = git_output(top, "show", f"{commit}:{relative}")
            found = _version(commit, date, shown, relative, commit in deployed)
            if found:
                versions.append(found)
    on_disk = working.read_text(encoding="utf-8")
    current = _version(WORKING_COPY, "", on_disk, relative, deployed=False)
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
    deployed = production_commits(top)
    if not deployed:
        return []  # no production branch: nothing is known to be published
    commits = _count_commits(top, content)
    edited = set(
        (git_output(top, "diff", "--name-only", "HEAD", "--", str(content)) or "").split("\n")
    )
    problems = []
    for path in files:
        relative = path.resolve().relative_to(top).as_posix()
        if commits.get(relative, 0) + (relative in edited) < 2:
            continue  # one version only: nothing changed since it was added
        found = uncorrected_change(history(top, relative, path, deployed))
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
