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

#: A cheap test for "this body may contain a link" before parsing it for links.
LINK_HINT = re.compile(r"\]\(|\]:\s|<[a-z]+:")
FILE_PLACEHOLDERS = ("{filename}", "{static}", "{attach}")


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
