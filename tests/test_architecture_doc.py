"""Every path and name the developers' guide (docs/architecture.md) mentions exists."""

from __future__ import annotations

import ast
import re

from conftest import ROOT

GUIDE = ROOT / "docs" / "architecture.md"
#: `path` or `path::name` in backticks, where path has a folder or a file extension.
REFERENCE = re.compile(r"`((?:[\w.-]+/)+[\w.-]*|[\w-]+\.(?:py|md|html|yml|toml))(?:::(\w+))?`")


def defined_names(path) -> set[str]:
    """Top-level functions, classes and assignments of a Python file, and class members."""
    names = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return names


def test_the_guide_mentions_only_what_exists():
    references = REFERENCE.findall(GUIDE.read_text(encoding="utf-8"))
    assert len(references) > 40  # the guide is a map, not a sketch
    missing = []
    for path, name in references:
        target = ROOT / path
        if not target.exists():
            missing.append(path)
        elif name and name not in defined_names(target):
            missing.append(f"{path}::{name}")
    assert missing == []


def test_the_reference_pattern_catches_a_missing_file_and_name():
    text = "`archive/nowhere.py` and `archive/model/documents.py::no_such_function`"
    found = REFERENCE.findall(text)
    assert found == [("archive/nowhere.py", ""), ("archive/model/documents.py", "no_such_function")]
    assert "no_such_function" not in defined_names(ROOT / "archive/model/documents.py")


#: The rooms of the code, each with the rooms it may import (docs/architecture.md, "The rooms").
ROOMS = {
    "archive/model": set(),
    "archive/site": {"archive.model"},
    "plugins": {"archive.model", "archive.site"},
    "archive/editors": {"archive.model", "archive.site"},
}
#: Every room of ours an import can reach.
OURS = ("archive.model", "archive.site", "archive.editors", "archive.cli", "plugins")


def imported_rooms(path) -> set[str]:
    """The rooms of ours a Python file imports (absolute imports: the project uses no others
    across packages)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0:
            modules = [node.module or ""]
        elif isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        else:
            continue
        for module in modules:
            found.update(room for room in OURS if module == room or module.startswith(room + "."))
    return found


def test_each_room_imports_only_the_rooms_below_it():
    crossings = []
    for room, allowed in ROOMS.items():
        files = sorted((ROOT / room).rglob("*.py"))
        assert files, room
        for path in files:
            own = room.replace("/", ".")
            wrong = imported_rooms(path) - allowed - {own}
            if wrong:
                crossings.append(f"{path.relative_to(ROOT)} imports {sorted(wrong)}")
    assert crossings == []
