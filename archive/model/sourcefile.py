"""Read an editor's text file: decode it, split the front matter, keep YAML line numbers.

Every error message in the archive points at a file and a line, so YAML is loaded through
PyYAML's node graph, which knows where each key and value stood. A command that changes an
editor's file writes it whole, or not at all (`write_source`).
"""

from __future__ import annotations

import functools
import os
import re
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from archive.model.problems import ArchiveError, Problem, fail

FENCE = "---"
#: Larger than any report the archive holds: a bigger file is most likely a pasted binary or dump.
MAX_BYTES = 2_000_000
#: A registry of tens of thousands of names is a few MB; more is not a registry.
REGISTRY_MAX_BYTES = 50_000_000
#: The end of the name of the new text `write_source` writes beside an editor's file, before
#: it takes the file's name: only a command killed in between leaves one behind.
UNSAVED_SUFFIX = ".unsaved"


@dataclass
class Located:
    """A YAML value plus the file line of each key and list item in it (1-based)."""

    value: Any
    lines: dict[tuple, int] = field(default_factory=dict)
    #: Numbers and booleans as the editor wrote them ("1.10", not 1.1), by key path.
    written: dict[tuple, str] = field(default_factory=dict)

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


#: Unicode's noncharacters (U+FDD0–U+FDEF, and the last two code points of every plane):
#: never text, and U+FFFE and U+FFFF make an XML file (a feed) unreadable.
NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    chr(plane + 0xFFFE) + chr(plane + 0xFFFF) for plane in range(0, 0x110000, 0x10000)
)
#: Characters no text of the archive may hold: C0/C1 controls (NUL, ESC, BEL…; tab and
#: newline are fine), which XML refuses or which come of a text decoded wrongly, and
#: noncharacters.
CONTROLS = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{NONCHARACTERS}]")
#: Invisible characters that change how text reads without showing, refused in front-matter
#: values: the CONTROLS, bidirectional embeddings and overrides, line separators.
INVISIBLE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2028\u2029{NONCHARACTERS}]")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def plain_value(text: str):
    """What the build's YAML loader makes of `text` written as a plain (unquoted) value."""
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader (see _Loader)
    except (yaml.YAMLError, ValueError, OverflowError):  # not even a value: an impossible date
        return None


def decode(path: str, data: bytes) -> str:
    """Decode UTF-8 (a BOM allowed), normalise line endings, refuse binary or other encodings."""
    if data.startswith(_UTF16_BOMS):
        fail(
            path,
            None,
            "the file is saved as UTF-16 text, and documents must be UTF-8",
            'save it as UTF-8 in your editor ("Save with encoding: UTF-8")',
        )
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
    """Parse one YAML document, recording the line of every key and list item.

    Errors come back in an editor's words, at the line to change. YAML aliases (`*name`)
    are refused: documents and registries never need them, and a few lines of them can
    expand to billions of values.
    """
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        located = Located(None)
        problems: list[Problem] = []
        if node is not None:
            _record_lines(node, (), first_line, located, problems, path, set())
        if problems:
            raise ArchiveError(problems)
        if node is not None:
            _items_run_together(node, text.split("\n"), first_line, path)
            located.value = _construct(loader, node, path, first_line)
    except yaml.MarkedYAMLError as err:
        fail(path, *_yaml_error(err, text, first_line))
    except yaml.YAMLError as err:
        fail(path, first_line, f"the YAML could not be read: {err}")
    finally:
        loader.dispose()
    return located


def _construct(loader, node, path: str, first_line: int):
    """The node's Python value; a value that cannot be built is reported at its line.

    An impossible date (`2017-02-30`) or a value that does not fit the type its `!!tag` asks
    for (`!!int 12x`) makes PyYAML's constructors raise plain Python errors.
    """
    try:
        return loader.construct_document(node)
    except yaml.MarkedYAMLError:
        raise
    except Exception as err:  # noqa: BLE001 - any constructor error is an editor's value
        probe = _Loader("")  # the failed loader is left mid-construction: build anew
        try:
            for scalar in _scalars(node):
                try:
                    probe.construct_object(scalar)
                except Exception:  # noqa: BLE001 - this is the value that cannot be built
                    fail(path, first_line + scalar.start_mark.line, *_unbuildable(scalar))
        finally:
            probe.dispose()
        fail(path, first_line, f"the YAML could not be read ({err})")


def _unbuildable(scalar) -> tuple[str, str]:
    """(message, fix) for a scalar PyYAML cannot turn into the value its tag asks for."""
    if scalar.tag == "tag:yaml.org,2002:timestamp":
        return (
            f"{scalar.value!r} is not a real date",
            "check the day and the month: dates are YYYY-MM-DD, e.g. 2017-02-28",
        )
    kind = scalar.tag.rsplit(":", 1)[-1]
    return (
        f"{scalar.value!r} cannot be read as the {kind} its '!!{kind}' asks for",
        "remove the '!!…' before the value, or write a value of that kind",
    )


def _scalars(node):
    """Every scalar node under `node` (aliases are refused before this runs)."""
    if isinstance(node, yaml.ScalarNode):
        yield node
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield from _scalars(key)
            yield from _scalars(value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _scalars(item)


#: A field or list item written without its space: `title:Report`, `-Raqqa` (not a URL).
MISSING_SPACE = re.compile(r"^\s*(?:[A-Za-z_][\w.-]*:(?![\s/]|$)|-(?![\s-]|$))")


#: Parser messages in the words of an editor who never heard of YAML: (start, message, fix).
_PLAIN_WORDS = (
    (
        "mapping values are not allowed",
        "a value contains ': ' (a colon and a space), which YAML reads as a new field",
        'put the whole value in double quotes, e.g. title: "Report: the findings"',
    ),
    (
        "could not find expected ':'",
        "a line has no ':' after its field name, or a quote is not closed",
        "write each field as 'name: value' and close every quote you open",
    ),
    (
        "found unexpected end of stream",
        "a quote or a bracket is opened and never closed",
        'close the quote (") or bracket ([ or {) on the same line',
    ),
    (
        "expected <block end>, but found '-'",
        "a list item ('- ') is not indented like the others",
        "start every '- ' item of one list at the same column",
    ),
)


def _yaml_error(err: yaml.MarkedYAMLError, text: str, first_line: int) -> tuple:
    """(line, message, fix) for a YAML parser error."""
    lines = text.split("\n")
    squeezed = next((n for n, line in enumerate(lines) if MISSING_SPACE.match(line)), None)
    if squeezed is not None:
        return (
            first_line + squeezed,
            "a ':' or '-' here has no space after it, so YAML does not see a field or an item",
            "put one space after the ':' of a field and after the '-' of a list item",
        )
    layout = _layout_problem(lines, first_line)
    if layout is not None:
        return layout
    mark = err.problem_mark or err.context_mark
    line = first_line + mark.line if mark else None
    what = err.problem or "the YAML is malformed"
    if err.context and err.context.startswith(
        ("while scanning an alias", "while scanning an anchor")
    ):
        return (
            line,
            "a value starts with '*' or '&', which YAML reads as a reference, not as text",
            'put the whole value in double quotes, e.g. summary: "*Two* lines"',
        )
    for start, message, fix in _PLAIN_WORDS:
        if what.startswith(start):
            return line, message, fix
    if err.context and err.context_mark and err.context_mark is not mark:
        what += f" ({err.context} that starts on line {first_line + err.context_mark.line})"
    return (
        line,
        f"YAML syntax error: {what}",
        "check indentation and quote values that contain ':' or '#'",
    )


#: What YAML reads as a line's layout: its indentation and the dashes of its list items.
LAYOUT = re.compile(r"[ \t]*(?:-[ \t]+)*")
#: A line that is structure, not text: a list item (`- …`) or a field (`name:`), with the
#: spaces before it, the spaces after its dash, and what follows that.
STRUCTURE = re.compile(r"(?P<indent> *)(?:(?P<dash>-)(?P<gap> +|$))?(?P<rest>.*)")
FIELD = re.compile(r"[^\s#'\"\[{|>&*!%@`-][^#]*?:(?:\s|$)")
#: What ends a line that starts an indented group or list: `name:` with nothing after it.
OPENS = re.compile(r"(?:^|:)\s*(?:#.*)?$")
#: A field whose value is the indented lines below it, as text (`summary: |`, `>-`).
TEXT_BLOCK = re.compile(r":\s*[|>][-+0-9]*\s*(?:#.*)?$")


def _layout_problem(lines: list[str], first_line: int) -> tuple[int, str, str] | None:
    """(file line, message, fix) of the first line laid out as YAML cannot read it, or None.

    A tab in a line's indentation or after a list item's dash, which YAML refuses where
    editors' text editors put it unseen; then the first item or field not indented like the
    others of its list or group (`_uneven_siblings`).
    """
    for index, line in enumerate(lines):
        layout = LAYOUT.match(line).group()
        if "\t" not in layout:
            continue
        if "\t" in layout[: len(layout) - len(layout.lstrip(" \t"))]:
            return (
                first_line + index,
                "this line is indented with a tab, and YAML needs spaces",
                "replace the tab at the start of the line with spaces",
            )
        return (
            first_line + index,
            "this line has a tab after its '-', and YAML needs spaces",
            "replace the tab after the '-' with one space",
        )
    return _uneven_siblings(lines, first_line)


def _uneven_siblings(lines: list[str], first_line: int) -> tuple[int, str, str] | None:
    """The first list item or field not indented like the item or field before it.

    YAML knows what belongs together by indentation alone: the items of one list, and the
    fields of one group (`source:`), must start at the same column. A line indented less
    than its siblings, but more than their parent, belongs nowhere; one indented more than
    the line before, which has a value, reads as part of that value.
    """
    # The open lists and groups, innermost last: (column, index of their first line).
    levels: list[tuple[int, int]] = [(0, 0)]
    before = None  # the index of the structure line before, if it has a value of its own
    for index, indent, found in _structure_lines(lines):
        kind = "list item" if found["dash"] else "field"
        if indent > levels[-1][0] and before is not None:
            under = _under(lines[before], levels[-1][0])
            return (
                first_line + index,
                f"this {kind} is indented more than line {first_line + before}, so YAML reads "
                "it as part of that line's value",
                f"if it is a {kind} of its own, start it {under} on line {first_line + before}; "
                'if it goes on with that value, put the whole value in double quotes ("…")',
            )
        if indent > levels[-1][0]:
            levels.append((indent, index))
        while indent < levels[-1][0]:
            column, sibling = levels.pop()
            if indent > levels[-1][0]:
                listed = lines[sibling][column:].startswith("-")  # the siblings' kind
                return (
                    first_line + index,
                    f"the {'list item' if listed else 'field'}s from line "
                    f"{first_line + sibling} are not indented alike: this one starts at column "
                    f"{indent + 1}, line {first_line + sibling}'s at column {column + 1}",
                    f"start every {'item of one list' if listed else 'field of one group'}"
                    f" at the same column: {_under(lines[sibling], column)} on line "
                    f"{first_line + sibling}",
                )
        rest = found["rest"]
        if found["dash"] and FIELD.match(rest):  # `- name: …`: an item's first field
            levels.append((indent + 1 + len(found["gap"]), index))
        before = index if rest and not OPENS.search(rest) else None
    return None


def _structure_lines(lines: list[str]):
    """(index, indentation, STRUCTURE match) of each list item and field line.

    Lines of text are not structure and are passed over: a value going on over several
    lines, the lines of a `|` or `>` block, blank lines and comments.
    """
    text_block = None  # the indentation of a `|` field, while the lines of its text go on
    for index, line in enumerate(lines):
        indent = len(line) - len(line.lstrip(" "))
        if text_block is not None and (indent > text_block or not line.strip()):
            continue
        text_block = None
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        found = STRUCTURE.match(line)
        if found["dash"] or FIELD.match(found["rest"]):
            yield index, indent, found
            if TEXT_BLOCK.search(found["rest"]):
                text_block = indent


def _under(line: str, column: int) -> str:
    """Where an item or field of `line` starts at `column`, in words.

    "under the '-'", or "under 'date'" (a field, maybe an item's first); "at column 5" if
    the line has no word there.
    """
    word = re.match(r"-|[^\s:]+", line[column:])
    if word is None:
        return f"at column {column + 1}"
    return "under the '-'" if word.group() == "-" else f"under {word.group()!r}"


def _items_run_together(node, lines: list[str], first_line: int, path: str) -> None:
    """Refuse list items YAML reads as one, which no YAML error points at.

    `- Example Army` with `   - EA` below it, indented further, is the one item 'Example Army
    - EA': a plain value goes on over the lines indented under it, dash or not. (Aliases are
    refused before this runs: each node is met once.)
    """
    problems = []
    pending = [node]
    while pending:
        current = pending.pop()
        if isinstance(current, yaml.MappingNode):
            pending += [value for _, value in current.value]
        elif isinstance(current, yaml.SequenceNode):
            pending += current.value
            for item in current.value:
                if not isinstance(item, yaml.ScalarNode) or item.style:
                    continue  # only a plain (unquoted) value runs on: style None, or libyaml's ""
                first, last = item.start_mark.line, item.end_mark.line
                joined = [n for n in range(first + 1, last + 1) if lines[n].lstrip()[:2] == "- "]
                if joined:
                    problems.append(
                        Problem(
                            path,
                            first_line + joined[0],
                            f"this list item is indented more than line {first_line + first}, "
                            f"so YAML reads both as one item ({item.value!r})",
                            f"start it under the '-' on line {first_line + first}",
                        )
                    )
    if problems:
        raise ArchiveError(sorted(problems, key=lambda problem: problem.line))


def _record_lines(
    node, key: tuple, first_line: int, located: Located, problems: list, path: str, seen: set
):
    """Note where every key and item stands, and refuse what YAML allows but editors never mean.

    A key given twice (YAML would keep only the last), an alias (`*name`, a node met twice),
    an invisible control character in a value.
    """
    line = first_line + node.start_mark.line
    if id(node) in seen:
        if "alias" in seen:  # one is enough: a bomb has thousands
            return
        seen.add("alias")
        problems.append(
            Problem(
                path,
                line,
                "YAML aliases (*name) are not allowed",
                "write the value out in full instead of referring to an '&anchor'",
            )
        )
        return
    seen.add(id(node))
    located.lines.setdefault(key, line)
    if isinstance(node, yaml.ScalarNode):
        _check_scalar(node, key, line, located, problems, path)
    elif isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            line = first_line + key_node.start_mark.line
            refused = _refused_key(key_node)
            if refused:
                problems.append(Problem(path, line, *refused))
                continue
            child = key + (key_node.value,)
            if child in located.lines:
                problems.append(
                    Problem(
                        path,
                        line,
                        f"{key_node.value!r} appears twice (also on line {located.lines[child]})",
                        "keep one of them; YAML would silently use only the last",
                    )
                )
                continue  # its fields would all be reported as repeated too
            located.lines[child] = line
            _record_lines(value_node, child, first_line, located, problems, path, seen)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record_lines(item, key + (index,), first_line, located, problems, path, seen)


def _refused_key(node) -> tuple[str, str] | None:
    """(problem, fix) for a key YAML allows but a field name never is, else None.

    A list or a mapping as a key (`? [a, b]`), which no field is named; a merge key (`<<`),
    which copies fields from elsewhere and lets the copied ones be silently overridden, as a
    repeated field would.
    """
    if not isinstance(node, yaml.ScalarNode):
        return (
            "a field name must be one word, not a list or a group of fields",
            "write 'name: value' on one line; a line starting with '? ' makes a complex name",
        )
    if node.tag == "tag:yaml.org,2002:merge":
        return (
            "YAML merge keys (<<) are not allowed: fields merged in can be silently replaced",
            "write each field out in full where it belongs",
        )
    return None


def _check_scalar(node, key: tuple, line: int, located: Located, problems: list, path: str):
    """Keep a number's text as written; refuse invisible control characters."""
    if node.tag in _NUMBER_TAGS:
        located.written[key] = node.value
    found = INVISIBLE.search(node.value)
    if found:
        name = ".".join(str(part) for part in key) or "the value"
        problems.append(
            Problem(
                path,
                line,
                f"'{name}' contains {invisible(found.group())}",
                "delete it and retype the text around it; it may have come with a paste",
            )
        )


def invisible(char: str) -> str:
    """What an INVISIBLE character is, in words for an editor: "an invisible … (U+XXXX)"."""
    kind = "noncharacter" if re.match(f"[{NONCHARACTERS}]", char) else "control character"
    return f"an invisible {kind} (U+{ord(char):04X})"


_NUMBER_TAGS = {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool"}


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


def read_yaml_file(path: Path, root: Path, display: str) -> Located:
    """Load a whole YAML file (a registry) under `root` with line numbers."""
    data = read_source(path, root, display, REGISTRY_MAX_BYTES)
    return load_yaml(display, decode(display, data))


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
            "copy the file into content/ instead of linking to it",
        )
    try:
        status = os.stat(real)
    except OSError:
        fail(
            display,
            None,
            "this is a link to a file that does not exist (or a loop of links)",
            "replace the link by the file itself, or delete it",
        )
    if not stat.S_ISREG(status.st_mode):
        fail(display, None, "this is not a regular file", "replace it by a plain text file")
    size = status.st_size
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


def front_matter_line(data: bytes, field: str) -> int | None:
    """The line a top-level front-matter field starts on (`summary:`), or None."""
    lines = data.decode("utf-8", "replace").splitlines()
    return next((n for n, text in enumerate(lines, 1) if text.startswith(f"{field}:")), None)


def write_source(path: Path, text: str) -> None:
    """Replace an editor's file by `text`, whole or not at all.

    The text goes to a new file beside it, is forced to the disk, and takes the file's name
    in one step: a full disk, a size limit, Ctrl-C or a kill leaves the old file as it was,
    never a file cut short or emptied (uncommitted work of the editor's would be lost).
    """
    written = None
    try:
        with tempfile.NamedTemporaryFile(
            "w",
            encoding="utf-8",
            newline="",
            dir=path.parent,
            prefix=f".{path.name}.",
            suffix=UNSAVED_SUFFIX,
            delete=False,
        ) as handle:
            written = handle.name
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            os.chmod(written, stat.S_IMODE(path.stat().st_mode))
        os.replace(written, path)
    except BaseException as error:
        if written:
            Path(written).unlink(missing_ok=True)
        if isinstance(error, OSError):
            fail(
                str(path),
                None,
                f"could not write the file ({error.strerror or error}); it is as it was",
                "make room on the disk (or lift the limit on file sizes) and run the command again",
            )
        raise
