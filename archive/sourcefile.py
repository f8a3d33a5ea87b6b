"""Read an editor's text file: decode it, split the front matter, keep YAML line numbers.

Every error message in the archive points at a file and a line, so YAML is loaded through
PyYAML's node graph, which knows where each key and value stood.
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .problems import ArchiveError, Problem, fail

FENCE = "---"
#: Larger than any report the archive holds: a bigger file is most likely a pasted binary or dump.
MAX_BYTES = 2_000_000


@dataclass
class Located:
    """A YAML value plus the file line of each key and list item in it (1-based)."""

    value: Any
    lines: dict[tuple, int] = field(default_factory=dict)

    def line(self, *key) -> int | None:
        """Return the line of the key path, or of its nearest parent that has one."""
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key[:-1]
        return self.lines.get(())


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """Safe loading (libyaml's, when PyYAML has it) without the YAML 1.1 booleans yes/no/on/off.

    Editors write `language: no` for Norwegian and `status: off` in prose; turning those into
    True/False would give baffling errors, so only true/false are booleans here.
    """


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


def decode(path: str, data: bytes) -> str:
    """Decode UTF-8 (a BOM allowed), normalise line endings, refuse binary or other encodings."""
    if b"\x00" in data:
        fail(
            path,
            None,
            "this is a binary file, not a text document",
            "remove it, or save the document as plain text (UTF-8)",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        fail(
            path,
            line,
            "the file is not valid UTF-8 text",
            'save it as UTF-8 in your editor ("Save with encoding: UTF-8")',
        )
    return text.replace("\r\n", "\n").replace("\r", "\n")


def load_yaml(path: str, text: str, first_line: int = 1) -> Located:
    """Parse one YAML document, recording the line of every key and list item."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        value = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = first_line + mark.line if mark else None
        what = err.problem or "the YAML is malformed"
        if err.context and err.context_mark and err.context_mark is not mark:
            what += f" ({err.context} that starts on line {first_line + err.context_mark.line})"
        fail(
            path,
            line,
            f"YAML syntax error: {what}",
            "check indentation and quote values that contain ':' or '#'",
        )
    except yaml.YAMLError as err:
        fail(path, first_line, f"YAML error: {err}")
    finally:
        loader.dispose()
    lines: dict[tuple, int] = {}
    duplicates: list[Problem] = []
    if node is not None:
        _record_lines(node, (), first_line, lines, duplicates, path)
    if duplicates:
        raise ArchiveError(duplicates)
    return Located(value, lines)


def _record_lines(node, key: tuple, first_line: int, lines: dict, duplicates: list, path: str):
    """Note where every key and item stands; a key given twice is an error, not an overwrite."""
    lines.setdefault(key, first_line + node.start_mark.line)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            child = key + (key_node.value,)
            line = first_line + key_node.start_mark.line
            if child in lines:
                duplicates.append(
                    Problem(
                        path,
                        line,
                        f"{key_node.value!r} appears twice (also on line {lines[child]})",
                        "keep one of them; YAML would silently use only the last",
                    )
                )
            lines[child] = line
            _record_lines(value_node, child, first_line, lines, duplicates, path)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record_lines(item, key + (index,), first_line, lines, duplicates, path)


def split_front_matter(path: str, text: str) -> tuple[Located, str, int]:
    """Return (front matter, Markdown body, file line the body starts on)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != FENCE:
        fail(
            path,
            1,
            "the document has no front matter",
            "start the file with a line '---', the YAML fields, and another '---'",
        )
    for index in range(1, len(lines)):
        if lines[index].strip() in (FENCE, "..."):
            break
    else:
        fail(
            path,
            1,
            "the front matter is never closed",
            "add a line '---' after the last field, before the text",
        )
    front = load_yaml(path, "\n".join(lines[1:index]), first_line=2)
    body = "\n".join(lines[index + 1 :])
    return front, body, index + 2


def read_yaml_file(path: Path, display: str) -> Located:
    """Load a whole YAML file (a registry) with line numbers."""
    return load_yaml(display, decode(display, path.read_bytes()))


def read_source(
    path: str | Path, root: str | Path, display: str, max_bytes: int = MAX_BYTES
) -> bytes:
    """An editor's file's bytes, refusing links out of the content folder and oversized files.

    A symbolic link to a file elsewhere would publish whatever it points at (a private note,
    a system file), so only files that really live under the content folder are read.
    """
    real, base = os.path.realpath(path), _real_folder(str(root))
    if not real.startswith(base):
        fail(
            display,
            None,
            "this is a link to a file outside the content folder",
            "copy the document into content/ instead of linking to it",
        )
    size = os.stat(real).st_size
    if size > max_bytes:
        fail(
            display,
            None,
            f"the file is {size / 1e6:.1f} MB, more than the "
            f"{max_bytes / 1e6:.0f} MB a document may be",
            "check that it holds the document's text, not a pasted "
            "file; raise DOCUMENTS['max_bytes'] if it really is one",
        )
    with open(real, "rb") as handle:
        return handle.read()


@functools.lru_cache(maxsize=8)
def _real_folder(folder: str) -> str:
    """The folder's real path with a trailing separator (looked up once per folder)."""
    return os.path.join(os.path.realpath(folder), "")
