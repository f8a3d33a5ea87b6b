"""The deployment configuration: Netlify builds with our own make target and strict headers."""

from __future__ import annotations

import http.server
import json
import os
import re
import subprocess
import sys
import tomllib

import pytest
from conftest import (
    ROOT,
    NetlifyHandler,
    collect_errors,
    not_found_pages,
    theme_address,
)
from pelican.settings import read_settings

from archive.site.interface import interface_languages


def test_netlify_builds_with_a_make_target_and_publishes_output():
    config = tomllib.loads((ROOT / "netlify.toml").read_text(encoding="utf-8"))
    command = config["build"]["command"]
    target = re.fullmatch(r"make (\S+)", command).group(1)
    assert re.search(rf"^{target}:", (ROOT / "Makefile").read_text(), re.M)
    assert config["build"]["publish"] == "output"
    for context in ("deploy-preview", "branch-deploy"):
        assert config["context"][context]["command"] == command


def test_netlify_keeps_the_build_cache_folder_of_the_publish_settings():
    """Deploys reuse the last deploy's work (plugins/build_cache) only if Netlify keeps it."""
    config = tomllib.loads((ROOT / "netlify.toml").read_text(encoding="utf-8"))
    [cache] = [p for p in config["plugins"] if p["package"] == "netlify-plugin-cache"]
    package = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    # What a deploy installs (pinned in package-lock.json), not a test tool.
    assert "netlify-plugin-cache" in package["dependencies"]
    settings = read_settings(str(ROOT / "publishconf.py"))
    assert settings["BUILD_CACHE"]["folder"] in cache["inputs"]["paths"]
    assert "/.cache/" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert read_settings(str(ROOT / "pelicanconf.py"))["BUILD_CACHE"]["folder"] == ""


def test_netlify_headers_forbid_inline_and_remote_code():
    config = tomllib.loads((ROOT / "netlify.toml").read_text(encoding="utf-8"))
    headers = next(h["values"] for h in config["headers"] if h["for"] == "/*")
    csp = headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp and "base-uri 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "max-age=31536000" in headers["Strict-Transport-Security"]


def test_pull_requests_check_documents_and_run_the_tests():
    import yaml

    workflow = yaml.safe_load((ROOT / ".github/workflows/test.yml").read_text(encoding="utf-8"))
    steps = [step.get("run", "") for step in workflow["jobs"]["test"]["steps"]]
    assert "pull_request" in workflow[True]  # YAML 1.1 reads the key `on` as True
    assert ".venv/bin/archive check --format github" in steps
    assert "make test" in steps
    hooks = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    [hook] = hooks["repos"][0]["hooks"]
    assert hook["entry"] == ".venv/bin/archive check"


def test_netlify_build_command_runs_and_adds_feeds_and_canonicals(published_site):
    home = (published_site / "index.html").read_text(encoding="utf-8")
    # Canonical links and citations name the main address, also on a deploy preview.
    assert (
        '<link rel="canonical" href="https://documentary-archive.netlify.app/index.html">' in home
    )
    assert 'href="https://deploy-preview-7--archive.netlify.app/feeds/all.atom.xml"' in home
    assert (published_site / "feeds/all.atom.xml").is_file()
    # Pages stay relative: a saved copy works offline.
    assert f'href="./{theme_address("css/main.css")}"' in home


def test_the_404_page_works_at_any_missing_address(published_site, browser, serve):
    """Netlify serves 404.html at the missing path itself, however deep it is."""
    root = serve(published_site, NetlifyHandler)
    page = browser.new_page()
    problems = collect_errors(page)
    response = page.goto(root + "documents/no-such/2099/missing.html")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Page not found"
    # The stylesheet loaded (its rules apply); no request failed but the page's own.
    assert page.evaluate("document.styleSheets.length") >= 1
    assert page.evaluate("getComputedStyle(document.body).marginTop") != "8px"
    failed = [p for p in problems if p.startswith(("4", "5", "failed:")) and "missing" not in p]
    assert failed == []
    # The browser reports the page's own 404 once; nothing else is reported.
    assert (
        problems.count(
            "Failed to load resource: the server responded with a status of 404 (Not Found)"
        )
        <= 1
    )
    page.get_by_role("link", name="Latest documents").click()
    page.wait_for_load_state("load")
    assert page.url == root + "index.html"
    page.close()


def test_every_language_folder_has_its_404_rule():
    languages = interface_languages(read_settings(str(ROOT / "pelicanconf.py")))
    rules = not_found_pages()
    for language in languages[1:]:
        assert (f"/{language.folder}/", f"/{language.folder}/404.html") in rules


@pytest.mark.parametrize(
    ("language", "heading", "home"),
    [
        ("es", "Página no encontrada", "Documentos más recientes"),
        ("fr", "Page introuvable", "Derniers documents"),
    ],
)
def test_a_missing_address_in_a_language_gets_that_language_404_page(
    published_site, browser, serve, language, heading, home
):
    """netlify.toml sends each language folder's missing addresses to its own 404 page."""
    assert (f"/{language}/", f"/{language}/404.html") in not_found_pages()
    root = serve(published_site, NetlifyHandler)
    page = browser.new_page()
    problems = collect_errors(page)
    response = page.goto(root + f"{language}/documents/no-such/2099/missing.html")
    assert response.status == 404
    assert page.evaluate("document.documentElement.lang") == language
    assert page.locator("h1").inner_text() == heading
    assert page.evaluate("getComputedStyle(document.body).marginTop") != "8px"
    page.get_by_role("link", name=home).click()
    page.wait_for_load_state("load")
    assert page.url == root + f"{language}/index.html"
    assert [p for p in problems if "missing" not in p and not p.startswith("Failed to load")] == []
    page.close()


@pytest.fixture
def preview(tmp_path):
    """`archive serve` running on the minimal fixture archive, on a free port."""
    import socket

    from conftest import fixture_content, write_settings

    content = fixture_content("minimal", tmp_path)
    output = tmp_path / "output"
    settings = write_settings(tmp_path, content, output)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "archive",
            "serve",
            "--settings",
            str(settings),
            "--port",
            str(port),
        ],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    server.content, server.output, server.port = content, output, port
    yield server
    if server.poll() is None:
        server.terminate()
        server.communicate(timeout=10)


def test_archive_serve_rebuilds_on_change(preview):
    import time
    import urllib.request

    content, port, server = preview.content, preview.port, preview
    page = f"http://127.0.0.1:{port}/documents/test/2020/first-report.html"

    def fetch():
        try:
            with urllib.request.urlopen(page, timeout=2) as response:
                return response.read().decode()
        except OSError:
            return ""

    try:
        deadline = time.monotonic() + 60
        while "First report" not in fetch() and time.monotonic() < deadline:
            time.sleep(0.3)
        assert "First report" in fetch()
        source = content / "articles/test/2020/first-report.md"
        source.write_text(
            source.read_text().replace("title: First report", "title: Revised report")
        )
        while "Revised report" not in fetch() and time.monotonic() < deadline:
            time.sleep(0.3)
        assert "Revised report" in fetch()
        # An edit to the text alone rewrites just that page (and the search page).
        source.write_text(source.read_text() + "\nA paragraph added later.\n")
        while "added later" not in fetch() and time.monotonic() < deadline:
            time.sleep(0.3)
        assert "added later" in fetch()
    finally:
        server.terminate()
        log = server.communicate(timeout=10)[0]
    assert "Built the whole site (the front matter of articles/test/2020/first-report.md" in log
    # The page and the search page, in each interface language.
    languages = len(interface_languages(read_settings(str(ROOT / "pelicanconf.py"))))
    assert f"Rewrote {2 * languages} file(s)" in log


def test_the_preview_reloads_the_open_page_and_shows_a_refused_save(preview, browser):
    """archive serve: a save updates the open page by itself; a broken save shows why."""
    import time

    content, output, port = preview.content, preview.output, preview.port
    url = f"http://127.0.0.1:{port}/documents/test/2020/first-report.html"
    try:
        page = browser.new_page()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                page.goto(url)
                break
            except Exception:  # the server is still building
                time.sleep(0.3)
        page.wait_for_function("document.querySelector('h1') !== null")
        page.evaluate("window.stillTheSamePage = true")
        source = content / "articles/test/2020/first-report.md"
        good = source.read_text()
        source.write_text(good.replace("The first paragraph", "A revised first paragraph"))
        page.wait_for_function(
            "document.body.textContent.includes('A revised first paragraph')", timeout=30000
        )
        assert page.evaluate("window.stillTheSamePage === undefined")  # it reloaded itself
        source.write_text(good.replace("published: 2020-03-02", "published: 2020-02-30"))
        page.wait_for_selector("#archive-preview-problems", timeout=30000)
        shown = page.locator("#archive-preview-problems").inner_text()
        assert "articles/test/2020/first-report.md:3: '2020-02-30' is not a real date" in shown
        assert page.locator("h1").inner_text() == "First report"  # the last good page stays
        page.close()
    finally:
        preview.terminate()
        preview.communicate(timeout=10)
    # What the preview served was the build's own files plus its script; output/ has none of it.
    assert b"live-reload.js" not in (output / "documents/test/2020/first-report.html").read_bytes()


@pytest.fixture
def preview_handler(tmp_path):
    """The preview's request handler alone, over a small site with a folder and no index."""
    import functools
    import http.server
    import threading

    from archive.editors.serve import PreviewEvents, PreviewHandler

    (tmp_path / "index.html").write_text("<html><body>Home</body></html>")
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "witness.html").write_text("<html><body>Jane Doe</body></html>")
    handler = type("Handler", (PreviewHandler,), {"events": PreviewEvents()})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(tmp_path))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()


def ask(port: int, path: str, host: str, method: str = "GET") -> tuple[int, bytes]:
    """One request to the preview with the given Host header(s), CRLF between two: (status,
    body)."""
    answer = ask_whole(port, path, host, method)
    return answer[0], answer[2]


def ask_whole(port: int, path: str, host: str, method: str = "GET"):
    """One request to the preview: (status, headers, body)."""
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.putrequest(method, path, skip_host=True)
    for line in host.split("\r\n"):
        name, value = line.split(": ", 1) if line.startswith("Host: ") else ("Host", line)
        connection.putheader(name, value)
    connection.endheaders()
    response = connection.getresponse()
    answer = response.status, dict(response.getheaders()), response.read()
    connection.close()
    return answer


def test_the_preview_says_the_length_of_a_page_as_it_sends_it(preview_handler):
    """HEAD announces the page with its preview script, the length GET then sends."""
    host = f"127.0.0.1:{preview_handler}"
    _, head, _ = ask_whole(preview_handler, "/index.html", host, "HEAD")
    _, got, body = ask_whole(preview_handler, "/index.html", host)
    assert int(head["Content-Length"]) == int(got["Content-Length"]) == len(body)
    assert b"live-reload.js" in body


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "[::1]:{port}"])
def test_the_preview_answers_requests_naming_this_machine(preview_handler, host):
    status, body = ask(preview_handler, "/drafts/witness.html", host.format(port=preview_handler))
    assert status == 200 and b"Jane Doe" in body and b"live-reload.js" in body


@pytest.mark.parametrize("method", ["GET", "HEAD"])
@pytest.mark.parametrize(
    "host",
    [
        "attacker.test:{port}",
        "127.0.0.1.attacker.test",
        "",
        "[::1",
        "attacker.test@127.0.0.1:{port}",  # what comes after '@' is not the host a browser used
        "127.0.0.1#.attacker.test",
        "127.0.0.1:{port}\r\nHost: attacker.test",  # two Host headers
    ],
)
def test_the_preview_refuses_a_page_that_rebound_its_own_domain(preview_handler, host, method):
    """DNS rebinding: a page at attacker.test, pointed at 127.0.0.1, must not read drafts."""
    status, body = ask(
        preview_handler, "/drafts/witness.html", host.format(port=preview_handler), method
    )
    assert status == 421 and b"Jane Doe" not in body


@pytest.mark.parametrize(
    "path, status",
    [
        ("/drafts/", 404),
        ("/%00.html", 400),
        ("/x%00/../index.html", 400),
        ("/" + "a" * 5000, 400),
        ("/" + "a" * 300 + ".html", 404),
    ],
)
def test_the_preview_lists_no_folder_and_answers_impossible_paths(preview_handler, path, status):
    answered, body = ask(preview_handler, path, f"127.0.0.1:{preview_handler}")
    assert answered == status and b"witness" not in body
    # and it still answers
    assert ask(preview_handler, "/index.html", f"127.0.0.1:{preview_handler}")[0] == 200


#: A capture whose French accents a browser garbles unless it is told the text is UTF-8.
CAPTURE = "captures/syria-war/2013/des-armes-chimiques-decouvertes-chez-les-rebelles.txt"


def test_captures_are_read_as_utf_8_when_netlify_serves_them(browser, shipped_site, serve):
    root = serve(shipped_site, NetlifyHandler)
    tab = browser.new_page()
    response = tab.goto(root + CAPTURE)
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    shown = tab.inner_text("body")
    assert "découvertes" in shown and "Ã" not in shown
    tab.close()


def test_the_preview_says_its_text_files_are_utf_8(preview_handler, tmp_path):
    import http.client

    (tmp_path / "captures").mkdir()
    (tmp_path / "captures" / "page.txt").write_text("Armes découvertes", encoding="utf-8")
    connection = http.client.HTTPConnection("127.0.0.1", preview_handler, timeout=10)
    connection.request("GET", "/captures/page.txt")
    response = connection.getresponse()
    assert response.getheader("Content-Type") == "text/plain; charset=utf-8"
    assert response.read().decode("utf-8") == "Armes découvertes"
    connection.close()


# ---------- what a deploy installs, and what it keeps between deploys ----------


def netlify_config() -> dict:
    return tomllib.loads((ROOT / "netlify.toml").read_text(encoding="utf-8"))


def test_a_deploy_installs_the_cache_plugin_and_no_test_tool(tmp_path):
    """Netlify runs `npm install` because package.json exists, in the build's environment:
    under its NODE_ENV=production npm leaves out the devDependencies, the test tools. The
    build plugins netlify.toml names must be there (pinned by the lock): Netlify would
    install a missing one itself, at a version of its choosing."""
    import shutil

    from conftest import needs

    config = netlify_config()
    assert config["build"]["environment"]["NODE_ENV"] == "production"
    package = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    tools = {"vnu-jar", "eslint", "stylelint"}
    assert tools <= set(package["devDependencies"]) and not tools & set(package["dependencies"])
    needs(shutil.which("npm") is not None, "npm")
    for name in ("package.json", "package-lock.json", ".nvmrc"):
        shutil.copy(ROOT / name, tmp_path / name)
    environment = {**os.environ, **config["build"]["environment"]}
    subprocess.run(
        ["npm", "install", "--no-audit", "--no-fund"],
        cwd=tmp_path,
        env=environment,
        check=True,
        capture_output=True,
        timeout=300,
    )
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    wanted = {
        path.removeprefix("node_modules/")
        for path, entry in lock["packages"].items()
        if path.count("node_modules/") == 1 and not entry.get("dev")
    }
    modules = tmp_path / "node_modules"
    installed = {
        p.relative_to(modules).as_posix() for p in [*modules.glob("[!.@]*"), *modules.glob("@*/*")]
    }
    assert installed == wanted
    assert {plugin["package"] for plugin in config["plugins"]} <= installed


def test_node_is_pinned_once_for_netlify_ci_and_npm():
    """.nvmrc is the version Netlify and CI's setup-node install; package.json says the same."""
    import yaml

    version = (ROOT / ".nvmrc").read_text(encoding="utf-8").strip()
    assert re.fullmatch(r"\d+\.\d+\.\d+", version)
    package = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    assert package["engines"]["node"] == version
    assert "NODE_VERSION" not in netlify_config()["build"]["environment"]  # .nvmrc decides
    workflow = yaml.safe_load((ROOT / ".github/workflows/test.yml").read_text(encoding="utf-8"))
    node = [s for s in workflow["jobs"]["test"]["steps"] if "setup-node" in s.get("uses", "")]
    assert [s["with"]["node-version-file"] for s in node] == [".nvmrc"]


def test_netlify_keeps_pip_downloads_and_no_installed_environment():
    config = netlify_config()
    [cache] = [p for p in config["plugins"] if p["package"] == "netlify-plugin-cache"]
    pip_cache = config["build"]["environment"]["PIP_CACHE_DIR"]
    assert pip_cache in cache["inputs"]["paths"]
    venv = re.search(r"^VENV \?= (\S+)$", (ROOT / "Makefile").read_text(), re.M).group(1)
    assert not any(venv in path or "site-packages" in path for path in cache["inputs"]["paths"])


class RegistryAsFromNetlify(http.server.BaseHTTPRequestHandler):
    """PyPI as pip sees it from Netlify's build machines, for the tests of the pip cache.

    Index pages and files come from the registry this machine reaches, but with the caching
    headers PyPI itself sends (files: a year, immutable; index pages: ten minutes), which
    pip's download cache obeys and which a registry proxy may strip. Every file asked for is
    noted in `files_sent`.
    """

    files_sent: list[str] = []

    def do_GET(self):  # noqa: N802 (http.server's name)
        import urllib.error
        import urllib.request

        address = self.server.server_address
        here = f"http://{address[0]}:{address[1]}/files/"
        if self.path.startswith("/files/"):
            upstream = "https://files.pythonhosted.org/" + self.path.removeprefix("/files/")
            caching = "max-age=365000000, immutable, public"
            self.files_sent.append(self.path.rsplit("/", 1)[-1])
        else:
            upstream = "https://pypi.org" + self.path
            caching = "max-age=600, public"
        request = urllib.request.Request(upstream, headers={"Accept": self.headers["Accept"]})
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                body, kind = response.read(), response.headers["Content-Type"]
        except urllib.error.HTTPError as error:
            self.send_error(error.code)
            return
        if not self.path.startswith("/files/"):
            body = body.replace(b"https://files.pythonhosted.org/", here.encode())
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", caching)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def registry():
    """The registry as seen from Netlify, on a free port: (index address, handler class)."""
    import threading

    handler = type("Registry", (RegistryAsFromNetlify,), {"files_sent": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"127.0.0.1:{server.server_port}", handler
    server.shutdown()


def install_as_a_deploy(registry, work, cache) -> subprocess.CompletedProcess:
    """What a deploy runs to install the site's packages (`make`'s target of the publish
    build) into a fresh virtualenv under `work`, with netlify.toml's pip cache at `cache`;
    pip's own configuration on this machine (mirrors, wheel folders) is left out."""
    host, _ = registry
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    environment |= {
        "PIP_CONFIG_FILE": os.devnull,
        "PIP_INDEX_URL": f"http://{host}/simple/",
        "PIP_TRUSTED_HOST": host,  # pip caches nothing from a plain-HTTP index it distrusts
        "PIP_CACHE_DIR": str(cache),
    }
    venv = work / "venv"
    return subprocess.run(
        ["make", f"VENV={venv}", f"PYTHON={sys.executable}", "PIP_OUTPUT=", f"{venv}/.installed"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=900,
    )


#: The packages of requirements.lock: (name, version).
LOCKED = re.findall(r"^([\w.-]+)==(\S+) ", (ROOT / "requirements.lock").read_text(), re.M)


def file_name_start(name: str, version: str = "") -> str:
    """How the file of a package starts, whatever its spelling (PyYAML-6.0.4, ruamel.yaml…);
    `name` alone: a file's name or address, as pip reports it."""
    name = name if version else name.rsplit("/", 1)[-1]
    return re.sub(r"[-_.]+", "_", f"{name}-{version}-" if version else name).lower()


@pytest.fixture(scope="module")
def first_deploy(registry, tmp_path_factory):
    """The first deploy: an empty Netlify cache, filled by pip's downloads (its folder)."""
    work = tmp_path_factory.mktemp("first-deploy")
    done = install_as_a_deploy(registry, work, work / "netlify-cache" / "pip")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    _, handler = registry
    sent = [file_name_start(f) for f in handler.files_sent]
    missing = [n for n, v in LOCKED if not any(f.startswith(file_name_start(n, v)) for f in sent)]
    assert missing == []  # it started from nothing: the registry sent every package's file
    return work / "netlify-cache" / "pip"


@pytest.mark.installs
def test_the_next_deploy_downloads_nothing_the_last_one_did(first_deploy, registry, tmp_path):
    """The cache folder restored, a fresh virtualenv takes every package from pip's cache.
    A wheel left in the cache's wheels/ (which pip would trust) is deleted first."""
    import shutil

    cache = tmp_path / "netlify-cache" / "pip"
    shutil.copytree(first_deploy, cache)
    planted = cache / "wheels" / "planted-by-a-preview"
    planted.mkdir(parents=True)
    _, handler = registry
    handler.files_sent.clear()
    done = install_as_a_deploy(registry, tmp_path, cache)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "Downloading " not in done.stdout and handler.files_sent == []
    taken = [file_name_start(f) for f in re.findall(r"Using cached (\S+)", done.stdout)]
    for name, version in LOCKED:
        assert any(f.startswith(file_name_start(name, version)) for f in taken), name
    assert not planted.exists()
    assert (tmp_path / "venv" / ".installed").is_file()


@pytest.mark.installs
def test_a_file_changed_in_the_pip_cache_stops_the_install(first_deploy, registry, tmp_path):
    """A preview shares the cache folder: a cached download whose bytes it changed fails
    requirements.lock's hashes, and production's environment is never made from it."""
    import shutil

    cache = tmp_path / "netlify-cache" / "pip"
    shutil.copytree(first_deploy, cache)
    downloads = [p for p in cache.rglob("*") if p.is_file() and "wheels" not in p.parts]
    largest = max(downloads, key=lambda p: p.stat().st_size)  # a wheel's body, at its middle
    data = bytearray(largest.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 64] = bytes(b ^ 0xFF for b in data[middle : middle + 64])
    largest.write_bytes(bytes(data))
    done = install_as_a_deploy(registry, tmp_path, cache)
    assert done.returncode != 0
    said = done.stdout + done.stderr
    assert "THESE PACKAGES DO NOT MATCH THE HASHES FROM THE REQUIREMENTS FILE" in said
    venv = tmp_path / "venv"
    assert not (venv / ".installed").exists()
    assert not list(venv.glob("lib/python*/site-packages/pelican"))


# ---------- the theme's files under names that change with their content ----------


def published_name(path) -> bool:
    """Whether a file's name carries the start of its content's SHA-256 before its extension."""
    import hashlib

    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:8]
    return path.name.endswith(f".{digest}{path.suffix}")


def test_a_theme_file_changed_by_one_byte_gets_a_new_name_on_every_page(tmp_path):
    import shutil

    from conftest import build, digest, fixture_content
    from sitecheck import broken_links, html_files

    content = fixture_content("minimal", tmp_path)
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    first = build(content, tmp_path / "first", THEME=str(theme))
    sheet = theme / "static" / "css" / "main.css"
    text = sheet.read_bytes()
    at = text.index(b"0")
    sheet.write_bytes(text[:at] + b"1" + text[at + 1 :])
    second = build(content, tmp_path / "second", THEME=str(theme))
    again = build(content, tmp_path / "again", THEME=str(theme))
    assert digest(second) == digest(again)  # the names depend on the bytes alone

    old, new = theme_address("css/main.css", ROOT / "theme"), theme_address("css/main.css", theme)
    assert old != new and (first / old).is_file() and (second / new).is_file()
    changed = digest(first).keys() ^ digest(second).keys()
    assert {n for n in changed if n.startswith("theme/")} == {old, new}  # the others kept theirs
    for page in html_files(second):
        html = page.read_text(encoding="utf-8")
        assert old.rsplit("/", 1)[-1] not in html, page
        assert new.rsplit("/", 1)[-1] in html, page
    assert broken_links(second) == []
    # Nothing under theme/ but the published names: no plain copy a browser could keep.
    published = [p for p in (second / "theme").rglob("*") if p.is_file()]
    assert published and all(published_name(p) for p in published)


def test_only_files_named_by_their_content_are_cached_long(tmp_path):
    """netlify.toml's long caching (a year, immutable) reaches no file whose content can
    change under its name: a page, the search index, or a theme file under a plain name."""
    import fnmatch

    from conftest import build, fixture_content

    output = build(fixture_content("minimal", tmp_path), tmp_path / "output")
    rules = netlify_config()["headers"]
    long_lived = []
    for path in sorted(p for p in output.rglob("*") if p.is_file()):
        address = "/" + path.relative_to(output).as_posix()
        values = {}
        for rule in rules:
            if fnmatch.fnmatchcase(address, rule["for"]):
                values.update(rule["values"])
        caching = values.get("Cache-Control", "")
        age = re.search(r"max-age=(\d+)", caching)
        if age and int(age.group(1)) > 3600:
            assert "immutable" in caching and published_name(path), address
            long_lived.append(address)
    assert "/" + theme_address("css/main.css") in long_lived
    assert all(a.startswith("/theme/") for a in long_lived)


def test_a_theme_file_changed_keeps_no_page_of_the_deploy_before(tmp_path):
    """A kept page names the theme's files of its build: the build cache's key digests every
    file of the theme, static ones included, so another theme's pages are never restored."""
    import shutil

    from conftest import site_settings

    from plugins.build_cache.store import site_key

    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    settings = site_settings(ROOT / "content", tmp_path / "output", THEME=str(theme))
    before = site_key(settings)
    script = theme / "static" / "js" / "cite.js"
    script.write_bytes(script.read_bytes() + b"\n")
    assert site_key(settings) != before


def test_a_template_naming_a_theme_file_that_is_not_there_stops_the_build(tmp_path):
    """A typo in a theme file's name would publish a broken link on every page."""
    import shutil

    from conftest import build, fixture_content

    from archive.model.problems import ArchiveError

    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    base = theme / "templates" / "base.html"
    base.write_text(
        base.read_text(encoding="utf-8").replace("css/print.css", "css/prints.css"),
        encoding="utf-8",
    )
    with pytest.raises(ArchiveError) as stopped:
        build(fixture_content("minimal", tmp_path), tmp_path / "output", THEME=str(theme))
    assert "the theme file 'css/prints.css', which the theme does not have" in str(stopped.value)
