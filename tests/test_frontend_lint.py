"""The theme's browser code follows the house style too: ESLint over theme/static/js (and the
tests' Node scripts) and Stylelint over theme/static/css, both pinned in package-lock.json
(configs at the repo root)."""

from __future__ import annotations

import shutil
import subprocess

from conftest import ROOT, needs

JS = "theme/static/js"
NODE_SCRIPTS = "tests/*.mjs"
CSS = "theme/static/css/**/*.css"


def linter(name: str) -> str:
    """The path of an npm-installed linter (make test runs npm ci; .ci/run installs npm)."""
    path = ROOT / "node_modules" / ".bin" / name
    needs(path.exists(), f"node_modules/.bin/{name}")
    needs(bool(shutil.which("node")), "node")
    return str(path)


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=ROOT, input=stdin, capture_output=True, text=True)


def test_eslint_passes():
    result = run(linter("eslint"), "--max-warnings", "0", JS, "archive", NODE_SCRIPTS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_stylelint_passes():
    result = run(linter("stylelint"), "--max-warnings", "0", CSS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_eslint_applies_the_house_rules_to_theme_scripts():
    """The config reaches theme/static/js: old-style code there is refused, rule by rule."""
    code = "var count = 1;\nlet total = 2;\nif (count == total) alert(total);\n"
    result = run(linter("eslint"), "--stdin", "--stdin-filename", f"{JS}/probe.js", stdin=code)
    assert result.returncode == 1, result.stdout + result.stderr
    for rule in ["no-var", "prefer-const", "eqeqeq"]:
        assert rule in result.stdout
