"""Links from a document to other files of the archive: they must exist and stay inside it.

Pelican copies the target of a `{static}` or `{attach}` link into the site: a link that climbs
out of the content folder (`{static}/../pelicanconf.py`), or goes through a symbolic link to
elsewhere, would publish a file from outside the archive, or write one outside the output.
The build and `archive check` both refuse such links here, naming the line.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import unquote

from archive.model.problems import Problem
from archive.model.render import PLACEHOLDERS
from archive.model.sourcefile import front_matter_line

FILE_PLACEHOLDERS = ("{filename}", "{static}", "{attach}")
#: A cheap test for "this body may hold a link this module checks", before parsing it: a
#: link to a file placeholder or to a source file, however the link is written (inline,
#: reference, autolink, image), shows one of these words.
LINK_HINT = re.compile(r"\{(?:filename|static|attach)\}|\.m(?:d|arkdown)\b", re.IGNORECASE)
#: A cheaper test still for "Pelican may find a file to copy in this text" (in any of the
#: forms its INTRASITE_LINK_REGEX takes: {static}, |attach|, …).
COPY_HINT = re.compile(r"static|attach", re.IGNORECASE)


def link_problems(md, content: Path, path: Path, display: str, body: str, body_line: int):
    """Every link of the document at `path` (shown as `display`) that is broken or leaves."""
    if not LINK_HINT.search(body):
        return []
    problems = []
    for block in md.parse(body):
        for token in block.children or ():
            if token.type not in ("link_open", "image"):
                continue
            href = str(token.attrGet("href") or token.attrGet("src") or "")
            line = body_line + (block.map[0] if block.map else 0)
            problem = _link_problem(content, path, href, line, display)
            if problem:
                problems.append(problem)
    return problems


def summary_link_problems(md, content: Path, path: Path, display: str, document, data: bytes):
    """The links of a document's `summary:` (shown in every list), checked as the text's are."""
    if not document.summary:
        return []
    line = front_matter_line(data, "summary") or 1
    return link_problems(md, content, path, display, document.summary, line)


def _link_problem(content: Path, path: Path, href: str, line: int, display: str):
    target = href.split("#")[0].split("?")[0]
    placeholder = next((p for p in PLACEHOLDERS if target.startswith(p)), None)
    if placeholder in FILE_PLACEHOLDERS:
        relative = unquote(target[len(placeholder) :])
        return _file_problem(content, path, relative, line, display)
    if "://" not in target and target.endswith((".md", ".markdown")):
        return Problem(
            display,
            line,
            f"the link {href!r} points at a source file",
            "write it as ({filename}" + target + ") so it links to the published page",
        )
    return None


def _file_problem(content: Path, path: Path, relative: str, line: int, display: str):
    """A `{filename}`/`{static}`/`{attach}` target that is missing or outside the archive."""
    base = content if relative.startswith("/") else path.parent
    resolved = os.path.realpath(base / relative.lstrip("/"))
    root = os.path.join(os.path.realpath(content), "")
    if not resolved.startswith(root):
        return Problem(
            display,
            line,
            f"the link target {relative!r} is outside the content folder",
            "copy the file into content/ and link to it there",
        )
    if not os.path.isfile(resolved):
        return Problem(
            display,
            line,
            f"the link target {relative!r} does not exist",
            "check the file name; paths are relative to this document",
        )
    return None


def copied_file_problems(content: Path, copied: set[str], display: str) -> list[Problem]:
    """Files outside the content folder that the site would copy for the links of a text.

    `copied` is what Pelican itself finds to copy in the rendered text (its
    `get_static_links`: paths relative to the content folder), whatever Markdown wrote the
    links and whichever placeholder form they use: the last word before anything is copied.
    """
    root = os.path.join(os.path.realpath(content), "")
    return [
        Problem(
            display,
            None,
            f"a link in its text would copy {link!r} into the site, and it is outside the "
            "content folder",
            "copy the file into content/ and link to it there",
        )
        for link in sorted(copied)
        if not os.path.realpath(os.path.join(content, link)).startswith(root)
    ]
