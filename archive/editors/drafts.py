"""Write new documents (`archive new`, `archive import`): never over or outside, always readable.

Both commands take values from editors and from scraped pages, which may hold anything: a
slug like '../../x', a title with a line break or '---', a name Windows cannot store. So
each value is checked where it enters, with a message naming the option; every file is
written only inside its folder once symbolic links and '..' are followed; and the front
matter is read back before the file is written.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from pathlib import Path

import yaml
from pelican.utils import slugify

from archive.editors.importer import parse_short_date
from archive.model.documents import PLACEHOLDER_TEXT, SLUG, parse_document, site_defaults
from archive.model.problems import ArchiveError, Problem, fail
from archive.model.registries import Collection, Registries, load_registries
from archive.model.sourcefile import INVISIBLE, split_front_matter
from archive.model.terms import windows_reserved  # the rule build and check apply to file names

#: Longest slug made from a title; it is cut at a word boundary.
SLUG_LENGTH = 60
#: Longest slug an editor may give: a file name holds 255 bytes, and addresses stay readable.
MAX_SLUG = 100
SLUG_RULE = "use lowercase ASCII letters, digits and single hyphens"
#: Characters that end a line in YAML, in editors or in browsers.
LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
#: Invisible controls that reverse the direction of the text around them (embeddings,
#: overrides, isolates): in a title they disguise what it says. Isolates are refused here
#: though sourcefile.INVISIBLE lets them through.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
DOCUMENTS_FOLDER = "articles"


def slug_for(title: str) -> str:
    """An ASCII slug from a title, cut at a word boundary: 'US-led coalition…' -> 'us-led-…'.

    It always follows the slug rule, and a name Windows cannot store gets '-document'.
    """
    slug = slugify(
        title,
        regex_subs=[(r"[^\w\s-]", ""), (r"(?u)\A\s*", ""), (r"(?u)\s*\Z", ""), (r"[-\s]+", "-")],
    )
    slug = re.sub(r"[^a-z0-9]+", "-", slug.encode("ascii", "ignore").decode().lower())
    if len(slug) > SLUG_LENGTH:
        slug = slug[:SLUG_LENGTH].rsplit("-", 1)[0]
    slug = slug.strip("-") or "document"
    return slug + "-document" if windows_reserved(slug) else slug


def slug_problem(slug: str) -> tuple[str, str] | None:
    """(problem, fix) if `slug` cannot name a document's file and address, else None."""
    if not SLUG.match(slug):
        return f"{shown(slug)} is not a URL-safe name", f"{SLUG_RULE}, e.g. {slug_for(slug)}"
    if len(slug) > MAX_SLUG:
        return (
            f"the slug is {len(slug)} characters long",
            f"keep it under {MAX_SLUG} characters, e.g. {slug_for(slug)}",
        )
    if windows_reserved(slug):
        return (
            f"{shown(slug)} is a name Windows cannot store as a file (as con, aux, nul, prn, "
            "com1–com9, lpt1–lpt9)",
            f"choose another slug, e.g. {slug}-document",
        )
    return None


def _unprintable_char(char: str) -> str:
    """What `char` is if a one-line field cannot hold it (see `unprintable`), else ""."""
    code = ord(char)
    if char in LINE_BREAKS:
        return "a line break"
    if char == "\t":
        return "a tab"
    if char in BIDI_CONTROLS:
        return f"an invisible text-direction control (U+{code:04X})"
    if INVISIBLE.match(char):  # what the build refuses in any front-matter value
        return f"a control character (U+{code:04X})"
    if unicodedata.category(char) == "Cs":
        return "bytes that are not UTF-8 text"  # undecodable bytes of a command line
    if code & 0xFFFE == 0xFFFE or 0xFDD0 <= code <= 0xFDEF:
        return f"a noncharacter (U+{code:04X})"
    return ""


def unprintable(text: str) -> str:
    """What in `text` a one-line field cannot hold ("a line break", …), or "" if nothing."""
    return next((what for what in map(_unprintable_char, text) if what), "")


def escape_unprintable(text: str) -> str:
    r"""`text` with line breaks and control characters written as escapes ('\n', '\x1b').

    A file name with a newline must not start a line of its own in a summary or a comment.
    """
    if text.isprintable():
        return text
    return "".join(
        char.encode("unicode_escape", "backslashreplace").decode()
        if _unprintable_char(char)
        else char
        for char in text
    )


def inside(path: Path, folder: Path) -> bool:
    """Whether `path` stays inside `folder` once '..' and every symbolic link are followed.

    `folder` itself is taken where it stands in its real parent: a documents folder that is a
    link to somewhere else is outside too.
    """
    base = os.path.join(os.path.realpath(folder.parent), folder.name)
    real = os.path.realpath(path)
    return real != base and os.path.commonpath([real, base]) == base


def refuse_outside(path: Path, folder: Path, display: str = "") -> None:
    """Stop (ArchiveError) unless `path` is inside `folder`: nothing is made outside it."""
    if not inside(path, folder):
        fail(
            display or str(path),
            None,
            f"this is outside {folder} (a symbolic link or '..' on the way leads elsewhere); "
            "nothing written",
            f"replace the link by a real folder under {folder}, or check the collection's key "
            "in registry/collections.yml",
        )


def document_path(content: Path, collection: str, date: dt.date, slug: str) -> Path:
    """The conventional place of a document: articles/<collection>/<year>/<slug>.md."""
    folder = content / DOCUMENTS_FOLDER
    return folder / (collection or "unsorted") / str(date.year) / f"{slug}.md"


def document_text(fields: dict, paragraphs: list[str], notes: list[str] = ()) -> str:
    """Front matter (with `notes` as YAML comments for the editor) and Markdown text.

    Every value is kept on its one line (no folding: a folded line could read '---' and
    close the front matter early), and the front matter is read back as the archive reads
    it: what cannot be stored exactly is refused, not written.
    """
    values = {k: v for k, v in fields.items() if v not in (None, "", [], {})}
    front = yaml.safe_dump(values, allow_unicode=True, sort_keys=False, width=float("inf"))
    comments = "".join(f"# {escape_unprintable(note)}\n" for note in notes)
    text = "---\n" + comments + front + "---\n\n" + "\n\n".join(paragraphs) + "\n"
    try:
        read_back = split_front_matter("the new document", text)[0].value
    except ArchiveError:
        read_back = None
    if read_back != values:
        fail(
            "the new document",
            None,
            "its front matter would not read back as written",
            "remove line breaks and control characters from the values",
        )
    return text


def write_new(path: Path, text: str, folder: Path) -> None:
    """Create the file inside `folder`; refuse if it exists or if its path leads elsewhere.

    Whatever the existing file holds it is kept; a path that leaves the folder through '..'
    or a symbolic link (a collection key, a linked folder) is refused before any folder is made.
    """
    refuse_outside(path, folder)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        fail(
            str(path.parent),
            None,
            f"could not make this folder: {err.strerror}",
            "check that no file stands where the folder should be",
        )
    try:
        with path.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        fail(
            str(path),
            None,
            "a document already exists at this path",
            "give the new document another slug (--slug), or edit the existing one",
        )
    except OSError as err:
        fail(str(path), None, f"could not write the file: {err.strerror}")


# `archive new`: each option checked, with the option named in every message.

#: Front-matter field -> the option of `archive new` that gives it.
FIELD_OPTIONS = {
    "title": "--title",
    "publisher": "--publisher",
    "place": "--place",
    "date": "--source-date",
    "url": "--url",
    "collection": "--collection",
    "published": "--published",
    "language": "--language",
    "rights": "--rights",
    "actors": "--actor",
    "locations": "--location",
    "slug": "--slug",
}
REQUIRED = {
    "title": 'give the document\'s title as published, e.g. --title "Ceasefire in the south"',
    "publisher": "give who first published it, e.g. --publisher SANA",
    "collection": "give a collection's key or name, e.g. --collection syria-war",
}


def option_name(name: str) -> str:
    """The option that gives a value: `source_date` -> `--source-date`, `actors` -> `--actor`."""
    return {"actors": "--actor", "locations": "--location"}.get(name) or "--" + name.replace(
        "_", "-"
    )


def shown(value: str, limit: int = 60) -> str:
    """A value quoted for a one-line message: escaped, and cut if long."""
    cut = value if len(value) <= limit else value[:limit] + "…"
    return repr(cut)


def parse_date(option: str, text: str) -> dt.date:
    """A date written YYYY-MM-DD; anything else is a problem that shows the right form."""
    if not ISO_DATE.fullmatch(text):
        fail(
            option,
            None,
            f"{shown(text)} is not a date written YYYY-MM-DD",
            f"write it as YYYY-MM-DD, {_date_example(text)}",
        )
    try:
        return dt.date.fromisoformat(text)
    except ValueError as err:
        fail(
            option,
            None,
            f"{shown(text)} is not a day of the calendar ({err})",
            "check the day and the month, e.g. 2016-02-29 exists but 2017-02-29 does not",
        )


def _date_example(text: str) -> str:
    """'e.g. 2016-03-04 for 4 March 2016 or 2016-04-03 for 3 April 2016' for '04/03/2016'."""
    parts = re.findall(r"\d+", text)
    readings = []
    if len(parts) == 3 and len(parts[0]) == 4:
        readings = [(parts[0], parts[1], parts[2])]
    elif len(parts) == 3 and len(parts[2]) == 4:
        readings = [(parts[2], parts[1], parts[0]), (parts[2], parts[0], parts[1])]
    dates = [parse_short_date(text)]
    for year, month, day in readings:
        try:
            dates.append(dt.date(int(year), int(month), int(day)))
        except ValueError:
            continue
    dates = [date for date in dict.fromkeys(dates) if date]
    if not dates:
        return "e.g. 2018-07-01"
    return "e.g. " + " or ".join(f"{d.isoformat()} for {d.day} {d:%B} {d.year}" for d in dates)


def closest_collection(value: str, registries: Registries) -> Collection | None:
    """The collection spelt most like `value`, if one is close: 'Siria' -> Syria War."""
    return next(iter(registries.closest_collections(value, limit=1)), None)


def _collection(value: str, registries: Registries) -> Collection:
    entry = registries.collection(value)
    if entry is None:
        close = closest_collection(value, registries)
        fail(
            "--collection",
            None,
            f"unknown collection {shown(value)}",
            f"did you mean {close.name!r} ({close.key})?"
            if close
            else "use one of: "
            + ", ".join(f"{c.name} ({c.key})" for c in registries.collections.values()),
        )
    return entry


def _checked(name: str, value, problems: list[Problem]):
    """The option's value stripped, or its problem noted: one line of plain text each."""
    if value is None:
        return None
    items = [value] if isinstance(value, str) else list(value)
    for item in items:
        what = unprintable(item)
        if what:
            problems.append(
                Problem(
                    option_name(name),
                    None,
                    f"{shown(item)} contains {what}",
                    "write it on one line"
                    if what == "a line break"
                    else "remove that character: retype the value as plain text",
                )
            )
    stripped = [item.strip() for item in items]
    return stripped[0] if isinstance(value, str) else stripped


def _attempt(problems: list[Problem], function, *args):
    """Call `function`; note its problems instead of stopping, so all are told at once."""
    try:
        return function(*args)
    except ArchiveError as err:
        problems.extend(err.problems)
        return None


def new_document(content: Path, settings: dict, options: dict) -> Path:
    """`archive new`: check every option, write the document and return its path.

    Raises ArchiveError with every problem, each naming the option and its fix; a file is
    written only if the build would accept it.
    """
    problems: list[Problem] = []
    values = {name: _checked(name, value, problems) for name, value in options.items()}
    if problems:
        raise ArchiveError(problems)
    for name, hint in REQUIRED.items():
        if not values[name]:
            problems.append(Problem(option_name(name), None, f"the {name} is empty", hint))
    for name in ("source_date", "published"):
        if values[name]:
            values[name] = _attempt(problems, parse_date, option_name(name), values[name])
    registries = load_registries(content)
    entry = values["collection"] and _attempt(
        problems, _collection, values["collection"], registries
    )
    slug = values["slug"]
    if slug is not None and slug_problem(slug):
        problems.append(Problem("--slug", None, *slug_problem(slug)))
    if problems:
        raise ArchiveError(problems)
    values["published"] = values["published"] or dt.date.today()
    path = document_path(
        content,
        entry.key,
        values["source_date"] or values["published"],
        slug or slug_for(values["title"]),
    )
    fields = _fields(values, entry)
    _accepted(path.relative_to(content).as_posix(), fields, registries, settings)
    write_new(path, document_text(fields, [PLACEHOLDER_TEXT]), content / DOCUMENTS_FOLDER)
    return path


def _fields(values: dict, entry: Collection) -> dict:
    source = {
        "publisher": values["publisher"],
        "place": values["place"],
        "date": values["source_date"],
        "url": values["url"],
    }
    return {
        "title": values["title"],
        "published": values["published"],
        "collection": entry.key,
        "language": values["language"],
        "source": {key: value for key, value in source.items() if value},
        "rights": values["rights"],
        "actors": values["actors"],
        "locations": values["locations"],
    }


def _accepted(display: str, fields: dict, registries: Registries, settings: dict) -> None:
    """Refuse a new document the build would refuse once its text is written in.

    Each problem names the option that gave the field.
    """
    text = document_text(fields, ["The document's text."])
    try:
        parse_document(display, text.encode("utf-8"), registries, site_defaults(settings))
    except ArchiveError as err:
        front = split_front_matter(display, text)[0]
        keys_at: dict[int, tuple] = {}
        for key, line in sorted(front.lines.items(), key=lambda item: len(item[0])):
            keys_at[line] = key
        raise ArchiveError(
            [_for_option(p, keys_at.get(p.line, ())) for p in err.problems]
        ) from None


def _for_option(problem: Problem, key: tuple) -> Problem:
    """The problem of a front-matter field, told as the problem of the option that gave it."""
    names = [part for part in key if isinstance(part, str)]
    option = FIELD_OPTIONS.get(names[-1]) if names else None
    return Problem(option, None, problem.message, problem.hint) if option else problem
