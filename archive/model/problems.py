"""Problems found in an editor's file, worded for the editor who has to fix them."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import NoReturn

#: A problem's severity, declared where it is found. An error stops the check, the commit and
#: the build until it is fixed; a warning is said and counted, and stops nothing: what it
#: points at may be right (a publisher the registry does not know yet is still a printed
#: fact), or it asks for a step the site can be published without (a correction note).
ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one file: where, what, and how to fix it."""

    path: str
    line: int | None
    message: str
    hint: str = ""
    severity: str = ERROR

    @property
    def is_warning(self) -> bool:
        """Whether it is said without failing anything (see WARNING)."""
        return self.severity == WARNING

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        label = "warning: " if self.is_warning else ""
        fix = f" Fix: {self.hint}" if self.hint else ""
        if fix and fix[-1] not in ".?!":
            fix += "."
        return f"{where}: {label}{self.message}.{fix}"


def tally(problems: list[Problem]) -> str:
    """How many errors and warnings, as the last line of a report says it.

    "2 problems, 1 warning": an editor counts the lines above it, and the two numbers add
    up to them.
    """
    warnings = sum(problem.is_warning for problem in problems)
    errors = len(problems) - warnings
    said = f"{errors or 'no'} problem{'' if errors == 1 else 's'}"
    if warnings:
        said += f", {warnings} warning{'' if warnings == 1 else 's'}"
    return said


class ArchiveError(Exception):
    """Every problem of a file (or a build) at once, so an editor fixes them in one pass."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self):
        """Pickle by problems (errors travel back from worker processes)."""
        return type(self), (self.problems,)


def suggest(value: str, choices) -> str:
    """Phrase the closest known names as 'did you mean …', or nothing when none is close."""
    close = difflib.get_close_matches(value, list(choices), n=3, cutoff=0.6)
    return "did you mean " + " or ".join(repr(c) for c in close) + "?" if close else ""


def unknown_fields(entry: dict, allowed, path: str, key: str, line_of) -> list[Problem]:
    """A registry entry's fields that its registry does not know, with the closest known one."""
    return [
        Problem(
            path,
            line_of(key, name),
            f"unknown field {name!r} in entry {key!r}",
            suggest(str(name), allowed) or "use one of " + ", ".join(allowed),
        )
        for name in entry
        if name not in allowed
    ]


def fail(path: str, line: int | None, message: str, hint: str = "") -> NoReturn:
    """Stop with one problem in one file: the editor is told where, what and how to fix it."""
    raise ArchiveError([Problem(path, line, message, hint)])
