"""Shared fixtures: build real sites (the shipped one and small fixture sites) into tmp_path."""

from __future__ import annotations

import fnmatch
import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

import pytest
from hypothesis import settings as hypothesis_settings
from hypothesis.database import DirectoryBasedExampleDatabase
from pelican.settings import read_settings

from archive.site.rendering import ArchiveBuild

ROOT = Path(__file__).resolve().parent.parent

# Property tests: `make test` and CI run Hypothesis's "ci" profile (derandomized: the same
# examples every run, so a red suite is never chance); `make test-fuzz` runs "fuzz", fresh
# examples every time, keeping what fails in .hypothesis/ to replay. A failure it finds
# becomes a named regression test (an @example, or a case of tests/test_bad_input.py).
# Each property test says how many examples it tries in CI, through examples(); "fuzz" tries
# ten times as many.
hypothesis_settings.register_profile(
    "fuzz",
    derandomize=False,
    deadline=None,
    print_blob=True,
    max_examples=1000,
    database=DirectoryBasedExampleDatabase(str(ROOT / ".hypothesis" / "examples")),
)


def examples(count: int) -> int:
    """How many examples a property test tries: `count` under Hypothesis's default of 100,
    scaled by the loaded profile's own (ten times as many under `make test-fuzz`).

    A test's explicit max_examples would otherwise win over every profile, and the fuzz run
    would try no more than CI does. Hypothesis's pytest plugin loads the profile before the
    test modules are imported, so the decorators see it.
    """
    return max(1, count * hypothesis_settings.default.max_examples // 100)


FIXTURES = Path(__file__).resolve().parent / "fixtures"
# A copy of ../shared/seeds/, the raw scraped page the seed article was curated from.
SEED = FIXTURES / "seeds" / "000_874ab42d718d5189.txt"
SEED_ARTICLE = "documents/syria-war/2017/us-led-coalition-colluding-with-is.html"
#: Debian's Chromium (GitHub's runners point this at their Google Chrome).
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def needs(present: bool, what: str) -> None:
    """Skip a test whose tool is missing on a developer's machine; under CI, fail it.

    CI (.ci/run) installs every tool the tests use, so a missing one there is a broken
    install step, which a skip would hide.
    """
    if present:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing under CI: .ci/run must install it")
    pytest.skip(f"{what} not installed (make test and CI install it)")


def node(*arguments: str, stdin: str = "") -> str:
    """What `node arguments…` writes, run from the repository with `stdin` as its input."""
    needs(bool(shutil.which("node")), "node")
    result = subprocess.run(
        ["node", *arguments],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
    )
    return result.stdout


def node_answers(script: Path, *arguments: str, lines: list[str]) -> list:
    """The JSON answer of a Node script (tests/*.mjs) to each line it reads, line for line."""
    output = node(str(script), *arguments, stdin="".join(f"{line}\n" for line in lines))
    answers = [json.loads(line) for line in output.splitlines()]
    assert len(answers) == len(lines), "the script answered not line for line"
    return answers


def site_settings(content: Path, output: Path, **overrides) -> dict:
    """The project's pelicanconf with another content folder and output folder."""
    override = {"PATH": str(content), "OUTPUT_PATH": str(output), **overrides}
    return read_settings(str(ROOT / "pelicanconf.py"), override=override)


def build(content: Path, output: Path, **overrides) -> Path:
    """Build a site in-process with the project's settings; return the output folder."""
    ArchiveBuild(site_settings(content, output, **overrides)).run()
    return output


def fixture_content(name: str, tmp_path: Path) -> Path:
    """Copy fixture scenario `name` into tmp_path, with the shared registries if it has none."""
    content = tmp_path / name / "content"
    shutil.copytree(FIXTURES / name, content)
    if not (content / "registry").exists():
        shutil.copytree(FIXTURES / "registry", content / "registry")
    return content


def write_settings(folder: Path, content: Path, output: Path) -> Path:
    """A settings file for `archive build` that points the project's settings at fixtures."""
    path = folder / "fixtureconf.py"
    path.write_text(
        "import sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from pelicanconf import *\n"
        f"PATH = {str(content)!r}\n"
        f"OUTPUT_PATH = {str(output)!r}\n"
        f"THEME = {str(ROOT / 'theme')!r}\n",
        encoding="utf-8",
    )
    return path


def editors_clone(folder: Path) -> tuple[Path, dict]:
    """An editor's copy of the archive, as the guides' commands expect it: the shipped content,
    this checkout's tools (.venv, settings, theme), and git's identity in the environment.

    Returns (the copy's folder, the environment to run its commands in); git is not set up.
    """
    repo = folder / "archive"
    shutil.copytree(ROOT / "content", repo / "content")
    (repo / ".venv").symlink_to(ROOT / ".venv")
    (repo / "pelicanconf.py").write_text(
        f"exec(open({str(ROOT / 'pelicanconf.py')!r}, encoding='utf-8').read())\n"
        f"THEME = {str(ROOT / 'theme')!r}\n",
        encoding="utf-8",
    )
    env = {**os.environ, "GIT_AUTHOR_NAME": "E", "GIT_AUTHOR_EMAIL": "e@example.net"}
    env |= {"GIT_COMMITTER_NAME": "E", "GIT_COMMITTER_EMAIL": "e@example.net"}
    return repo, env


def archive_command(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run the `archive` command as an editor would, capturing what it prints."""
    return subprocess.run(
        [sys.executable, "-m", "archive", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="session")
def shipped_site(tmp_path_factory) -> Path:
    """The repository's own content, built once for the whole test session."""
    return build(ROOT / "content", tmp_path_factory.mktemp("shipped") / "output")


#: The addresses Netlify gives a deploy preview, and the site's main one.
PREVIEW = "https://deploy-preview-7--archive.netlify.app"
MAIN_ADDRESS = "https://documentary-archive.netlify.app"


@pytest.fixture(scope="session")
def published_site(tmp_path_factory) -> Path:
    """What `make publish` builds of the shipped archive, as a Netlify deploy preview, once."""
    output = tmp_path_factory.mktemp("publish") / "output"
    env = {**os.environ, "URL": MAIN_ADDRESS, "DEPLOY_PRIME_URL": PREVIEW}
    command = ["archive", "build", "--settings", "publishconf.py", "--output", str(output)]
    result = subprocess.run(
        [sys.executable, "-m", *command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    return output


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole test session (offline flags from bench/search.py)."""
    needs(Path(CHROMIUM).exists(), f"Chromium ({CHROMIUM})")
    from playwright.sync_api import sync_playwright

    from bench.search import FLAGS

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


def collect_errors(page) -> list[str]:
    """Everything a reader's browser would complain about on this page, as it happens.

    Console errors and warnings (a CSP violation is one), script errors, missing files
    (net::ERR_FILE_NOT_FOUND from disk, a 4xx status when served). An aborted request (the
    browser re-fetching the icon as history changes) is not an error.
    """
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "requestfailed",
        lambda r: (
            errors.append(f"failed: {r.url} {r.failure}")
            if r.failure != "net::ERR_ABORTED"
            else None
        ),
    )
    page.on(
        "response", lambda r: errors.append(f"{r.status}: {r.url}") if r.status >= 400 else None
    )
    return errors


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serve files without logging every request into the test output."""

    def log_message(self, *args):
        pass


def not_found_pages() -> list[tuple[str, str]]:
    """netlify.toml's 404 rules: (path prefix, page) pairs, e.g. ("/es/", "/es/404.html")."""
    return [
        (rule.source.removesuffix("*"), rule.target)
        for rule in netlify_redirects(None)
        if rule.status == 404
    ]


@dataclass(frozen=True)
class Redirect:
    """One of Netlify's redirect rules: from, to, status, and whether it is forced.

    An unforced rule applies only when no file answers the path ("shadowing"); a forced one
    (`301!` in _redirects, `force = true` in netlify.toml) always. A `*` at the end of
    `from` matches the rest of the path, which `:splat` in `to` repeats.
    """

    source: str
    target: str
    status: int = 301
    force: bool = False

    def applied_to(self, path: str) -> str | None:
        """Where the rule sends `path`, or None when it does not match."""
        if self.source.endswith("*"):
            stem = self.source[:-1]
            return (
                self.target.replace(":splat", path[len(stem) :]) if path.startswith(stem) else None
            )
        return self.target if path == self.source else None


def netlify_redirects(published: Path | None) -> list[Redirect]:
    """The redirect rules Netlify applies to a deploy, in its order: first the `_redirects`
    file at the root of the published folder (the build writes it), then netlify.toml's."""
    rules = []
    listed = published / "_redirects" if published else None
    if listed and listed.is_file():
        for line in listed.read_text(encoding="utf-8").splitlines():
            parts = line.split("#", 1)[0].split()
            if len(parts) >= 2:
                status = parts[2] if len(parts) > 2 else "301"
                rules.append(
                    Redirect(parts[0], parts[1], int(status.rstrip("!")), status.endswith("!"))
                )
    config = tomllib.loads((ROOT / "netlify.toml").read_text(encoding="utf-8"))
    rules += [
        Redirect(rule["from"], rule["to"], rule.get("status", 301), rule.get("force", False))
        for rule in config.get("redirects", [])
    ]
    return rules


class NetlifyHandler(QuietHandler):
    """Serve a published folder as Netlify serves the deploy: its redirects and its headers.

    - Redirects as `netlify_redirects` lists them: a 3xx rule answers with its status and
      Location; a 404 rule answers a missing path with its page and status 404 (each
      interface language has its own), else the site's 404.html; a 200 rule rewrites.
    - Headers exactly as netlify.toml gives them (its CSP above all); as on Netlify, a
      rule's Content-Type replaces the one the file's name suggests.
    """

    def send_head(self):
        path = urlsplit(self.path).path
        missing = not Path(self.translate_path(path)).is_file()
        for rule in netlify_redirects(Path(self.directory)):
            target = rule.applied_to(path)
            if target is None or not (rule.force or missing):
                continue
            if 300 <= rule.status < 400:
                self.send_response(rule.status)
                self.send_header("Location", target)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            if rule.status == 404:
                return self._not_found(target)
            self.path = target  # 200: served from the rule's target
            break
        return super().send_head()

    def send_error(self, code, message=None, explain=None):
        if code == 404 and (Path(self.directory) / "404.html").is_file():
            return self._not_found("/404.html")
        return super().send_error(code, message, explain)

    def _not_found(self, page: str):
        body = (Path(self.directory) / page.lstrip("/")).read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        return None

    def _rules(self) -> dict[str, str]:
        rules = tomllib.loads((ROOT / "netlify.toml").read_text(encoding="utf-8"))["headers"]
        values = {}
        for rule in rules:
            # Netlify's "*" matches any characters, "/" included ("/captures/*.pdf").
            if fnmatch.fnmatchcase(self.path.split("?")[0], rule["for"]):
                values.update(rule["values"])
        return values

    def send_header(self, keyword, value):
        if keyword.lower() == "content-type":
            value = self._rules().get("Content-Type", value)
        super().send_header(keyword, value)

    def end_headers(self):
        for name, value in self._rules().items():
            if name != "Content-Type":
                super().send_header(name, value)
        super().end_headers()


@pytest.fixture(scope="session")
def serve():
    """Serve folders on 127.0.0.1 (a free port each), as Netlify or `archive serve` would."""
    servers = []

    def start(folder: Path, handler_class=QuietHandler) -> str:
        handler = functools.partial(handler_class, directory=str(folder))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}/"

    yield start
    for server in servers:
        server.shutdown()


class Sandbox:
    """An archive in a folder of its own, with canary files around it, driven by its CLI.

    Everything under the sandbox's root is fingerprinted (SHA-256 of every file, and every
    symlink's target) when the first command runs, after the test has laid out its case;
    `changed_outside()` lists what changed since, apart from the output folder and the
    folders a test allows (`allow("content/articles")`).
    """

    def __init__(self, root: Path, fixture: str = "minimal"):
        self.root = root
        self.archive = root / "archive"
        self.content = self.archive / "content"
        shutil.copytree(FIXTURES / fixture, self.content)
        if not (self.content / "registry").exists():
            shutil.copytree(FIXTURES / "registry", self.content / "registry")
        self.output = self.archive / "output"
        self.settings = write_settings(self.archive, self.content, self.output)
        for canary in (root / "outside" / "secret.txt", root / "archive" / "README.md"):
            canary.parent.mkdir(parents=True, exist_ok=True)
            canary.write_text(f"canary {canary.name}\n", encoding="utf-8")
        self.allowed: list[Path] = [self.output, self.output.with_name("output.building")]
        self.before: dict[str, str] | None = None  # taken when the first command runs

    def allow(self, *folders: str) -> None:
        """Folders of the archive (e.g. "content/articles") the command may change."""
        self.allowed += [self.archive / folder for folder in folders]

    def fingerprint(self) -> dict[str, str]:
        import hashlib

        prints = {}
        for path in sorted(self.root.rglob("*")):
            key = path.relative_to(self.root).as_posix()
            if path.is_symlink():
                prints[key] = "-> " + os.readlink(path)
            elif path.is_file():
                prints[key] = hashlib.sha256(path.read_bytes()).hexdigest()
        return prints

    def changed_outside(self) -> list[str]:
        if self.before is None:
            return []
        after = self.fingerprint()
        allowed = [a.relative_to(self.root).as_posix() + "/" for a in self.allowed]
        return sorted(
            key
            for key in set(self.before) | set(after)
            if self.before.get(key) != after.get(key)
            and not any((key + "/").startswith(folder) for folder in allowed)
        )

    def run(self, *args: str, input: str | None = None) -> subprocess.CompletedProcess:
        """`archive COMMAND --settings … ARGS`, as an editor runs it, in the archive folder."""
        command, *rest = args
        if self.before is None:
            self.before = self.fingerprint()
        return subprocess.run(
            [sys.executable, "-m", "archive", command, "--settings", str(self.settings), *rest],
            cwd=self.archive,
            capture_output=True,
            text=True,
            input=input,
            timeout=300,
        )


@pytest.fixture
def sandbox(tmp_path):
    """An archive with canaries around it; the test fails if anything outside changed."""
    box = Sandbox(tmp_path)
    yield box
    assert box.changed_outside() == []


@pytest.fixture
def archive(tmp_path):
    """An archive folder with the shipped registries and no documents, and its command.

    `archive("check", ...)` runs `archive check --settings … ...` in-process (CliRunner) and
    returns click's result; `archive.content` is the content folder.
    """
    from click.testing import CliRunner

    from archive.cli import main

    content = tmp_path / "content"
    shutil.copytree(ROOT / "content" / "registry", content / "registry")
    (content / "articles").mkdir()
    settings = write_settings(tmp_path, content, tmp_path / "output")
    runner = CliRunner()

    def run(*args, input=None):
        command = [args[0], "--settings", str(settings), *args[1:]]
        return runner.invoke(main, command, input=input, catch_exceptions=False)  # no traceback

    run.content = content
    return run


#: The WCAG levels axe checks every page against (2.0, 2.1 and 2.2, A and AA).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def digest(folder: Path) -> dict[str, str]:
    """The SHA-256 of every file below `folder`, by its path there: two builds compared."""
    import hashlib

    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def theme_address(name: str, theme: Path = ROOT / "theme") -> str:
    """Where a build publishes the theme file `name` (its path under the theme's static/),
    from the site's root: its name with the first 8 hex digits of its SHA-256 before the
    extension, as netlify.toml's year-long caching of theme/ relies on (computed here from
    the file, not by the code under test)."""
    import hashlib

    path = PurePosixPath(name)
    digest = hashlib.sha256((theme / "static" / name).read_bytes()).hexdigest()[:8]
    published = path.with_name(f"{path.stem}.{digest}{path.suffix}")
    return (PurePosixPath("theme") / published).as_posix()


def bulk_site(tmp_path, count=300):
    """The taxonomies fixture with `count` more documents, over ten years."""
    content = fixture_content("taxonomies", tmp_path)
    template = (content / "articles" / "a1.md").read_text(encoding="utf-8")
    for number in range(count):
        year = 2011 + number % 10
        (content / "articles" / f"bulk-{number:03d}.md").write_text(
            template.replace("Report a1", f"Bulk report {number}").replace(
                "2019-05-01", f"{year}-0{1 + number % 9}-1{number % 9}"
            ),
            encoding="utf-8",
        )
    return content


#: The secret of the tests' production deploys (the cache is used only under a secret).
SECRET = "a production secret of the tests, long enough"


def cached_build_settings(
    folder: Path, content: Path, output: Path, cache: Path | None, theme: Path, extra: str = ""
):
    """The project's settings on this checkout, with a cache folder (or none), a theme and
    `extra` settings."""
    path = write_settings(folder, content, output)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(f"THEME = {str(theme)!r}\nBUILD_CACHE = {{'folder': {str(cache or '')!r}}}\n")
        handle.write(extra)
    return path


def deploy_build(
    folder: Path,
    content: Path,
    output: Path,
    cache=None,
    theme=ROOT / "theme",
    extra="",
    secret=SECRET,
    said: list | None = None,
) -> float:
    """`archive build` in its own process; returns when it started (for file times).

    `secret`: the cache's secret in its environment (None: not set); what the build said
    on its error stream is appended to `said`.
    """
    settings = cached_build_settings(folder, content, output, cache, theme, extra)
    environment = {k: v for k, v in os.environ.items() if k != "ARCHIVE_CACHE_SECRET"}
    if secret is not None:
        environment["ARCHIVE_CACHE_SECRET"] = secret
    started = time.time_ns()
    done = subprocess.run(
        [sys.executable, "-m", "archive", "build", "--settings", str(settings)],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
        env=environment,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    if said is not None:
        said.append(done.stderr)
    return started


def reused_pages(output: Path, started: int) -> set[str]:
    """The pages of `output` not written by the build that started at `started`."""
    return {
        p.relative_to(output).as_posix()
        for p in output.rglob("*.html")
        if p.stat().st_mtime_ns < started
    }
