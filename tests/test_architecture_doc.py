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
    text = "`archive/nowhere.py` and `archive/documents.py::no_such_function`"
    found = REFERENCE.findall(text)
    assert found == [("archive/nowhere.py", ""), ("archive/documents.py", "no_such_function")]
    assert "no_such_function" not in defined_names(ROOT / "archive/documents.py")
