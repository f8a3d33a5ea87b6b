"""The editors' tools (issue 16): registry commands, suggestions, plain-language YAML errors."""

from __future__ import annotations

import shutil

import pytest
from conftest import ROOT, archive_command, editors_clone

from archive.model.documents import parse_document
from archive.model.problems import ArchiveError
from archive.model.registries import load_registries

GOOD = (
    "---\ntitle: T\npublished: 2020-01-01\ncollection: syria-war\nsource:\n  publisher: Reuters\n"
    "{extra}---\n\nText.\n"
)


@pytest.fixture
def editor(archive):
    """The shipped registries without documents, with a folder for 2020's Syria documents."""
    (archive.content / "articles" / "syria-war" / "2020").mkdir(parents=True)
    return archive


def document(editor, name: str, extra: str):
    path = editor.content / "articles" / "syria-war" / "2020" / name
    path.write_text(GOOD.format(extra=extra), encoding="utf-8")
    return path


def test_add_location_writes_a_checked_entry_keeping_comments_and_order(editor):
    registry = editor.content / "registry" / "locations.yml"
    before = registry.read_text(encoding="utf-8")
    result = editor(
        "add",
        "location",
        "Kafr Nabl",
        "--type",
        "town",
        "--parent",
        "Idleb",  # an alias of the governorate: resolved to its slug
        "--alias",
        "Kafranbel",
        "--coordinates",
        "35.61,36.56",
    )
    assert result.exit_code == 0, result.output
    assert "Added location 'Kafr Nabl' as 'kafr-nabl' to registry/locations.yml." in result.output
    after = registry.read_text(encoding="utf-8")
    assert after.startswith(before.rstrip("\n") + "\n\nkafr-nabl:\n")  # nothing else moved
    term = load_registries(editor.content).locations.terms["kafr-nabl"]
    assert (term.parent, term.aliases, term.coordinates) == (
        "idlib-governorate",
        ("Kafranbel",),
        (35.61, 36.56),
    )
    assert load_registries(editor.content).locations.resolve("kafranbel") is term


@pytest.mark.parametrize("value", ["NO", "on", "1.10", "2014-02-30", "2016-03-04", "a: b", "#x"])
def test_what_add_writes_reads_back_identically(editor, value):
    result = editor("add", "actor", f"Group {value}", "--type", "armed group", "--alias", value)
    assert result.exit_code == 0, result.output
    terms = load_registries(editor.content).actors.terms.values()
    [term] = [t for t in terms if t.name == f"Group {value}"]
    assert term.aliases == (value,)


def test_add_refuses_what_the_build_would_refuse(editor):
    cases = [
        (("actor", "Islamic State", "--type", "armed group"), "the slug 'islamic-state' is taken"),
        (
            ("actor", "New name", "--type", "armed group", "--alias", "Daesh"),
            "'Daesh' already names",
        ),
        (("actor", "Someone", "--type", "wizard"), "--type 'wizard' is not a actor type"),
        (
            ("location", "Somewhere", "--type", "town", "--parent", "Atlantis"),
            "--parent 'Atlantis'",
        ),
        (
            ("location", "Somewhere", "--type", "town", "--coordinates", "95,1"),
            "--coordinates '95,1'",
        ),
        (("actor", "Someone", "--type", "person", "--wikidata", "858"), "is not a Q-id"),
        (("collection", "Syria War"), "the slug 'syria-war' is taken"),
    ]
    for args, message in cases:
        registry = editor.content / "registry" / f"{args[0]}s.yml"
        before = registry.read_text(encoding="utf-8")
        result = editor("add", *args)
        assert result.exit_code == 1 and message in result.output, (args, result.output)
        assert "Fix:" in result.output
        assert registry.read_text(encoding="utf-8") == before


def test_add_collection_then_a_document_uses_it_by_its_alias(editor):
    result = editor("add", "collection", "War in Yemen", "--alias", "Yemen War")
    assert result.exit_code == 0, result.output
    registries = load_registries(editor.content)
    assert registries.collection("yemen war").key == "war-in-yemen"


def test_a_name_windows_cannot_store_gets_another_slug(editor):
    result = editor("add", "actor", "Con", "--type", "other")
    assert "as 'con-entry'" in result.output


def test_a_new_entry_shows_in_each_interface_language_with_no_hand_editing(editor):
    """`--name es=…` and `--description fr=…` reach the Spanish and French sites as given."""
    from sitecheck import soup

    result = editor(
        "add",
        "actor",
        "Northern Relief Brigade",
        "--type",
        "armed group",
        "--name",
        "es=Brigada de Socorro del Norte",
        "--name",
        "fr=Brigade de secours du Nord",
        "--description",
        "An armed group formed in 2019.",
        "--description",
        "es=Un grupo armado formado en 2019.",
    )
    assert result.exit_code == 0, result.output
    assert "Its name shows as" not in result.output  # every interface language has its name
    assert "description shows in the archive's own language on the fr site" in result.output
    document(editor, "report.md", "actors:\n  - Brigade de secours du Nord\n")
    built = editor("build")
    assert built.exit_code == 0, built.output
    output = editor.content.parent / "output"
    expected = {
        "": ("Northern Relief Brigade", "An armed group formed in 2019.", None),
        "es/": ("Brigada de Socorro del Norte", "Un grupo armado formado en 2019.", None),
        "fr/": ("Brigade de secours du Nord", "An armed group formed in 2019.", "en"),
    }
    for folder, (name, description, marked) in expected.items():
        page = soup(output / folder / "actors" / "northern-relief-brigade.html")
        assert page.h1.get_text(strip=True) == name, folder
        lede = page.select_one(".lede")
        assert (lede.get_text(strip=True), lede.get("lang")) == (description, marked), folder
        listed = soup(output / folder / "index.html").get_text()
        assert name in listed, folder


@pytest.mark.parametrize(
    "option, message",
    [
        ("--name=Brigada", "--name 'Brigada': write the language first, e.g. es=…"),
        ("--name=Spanish=Brigada", "--name 'Spanish=Brigada': write the language first"),
        ("--name=es=", "--name es= is empty"),
        ("--name=es=Islamic State", "'Islamic State' already names the actor 'islamic-state'"),
        ("--description=es=", "--description es= is empty"),
    ],
)
def test_add_refuses_a_name_or_description_without_its_language(editor, option, message):
    before = (editor.content / "registry" / "actors.yml").read_bytes()
    result = editor("add", "actor", "Brigade", "--type", "armed group", option)
    assert result.exit_code != 0 and message in result.output, result.output
    assert (editor.content / "registry" / "actors.yml").read_bytes() == before


def test_check_lists_descriptions_without_a_translation_and_still_passes(editor):
    """Readers of es/ and fr/ read such a description in English: listed, not refused."""
    from archive.model.registries import untranslated_texts

    editor("add", "collection", "War in Yemen", "--description", "The war since 2014.")
    registries = load_registries(editor.content)
    [listed] = [p for p in untranslated_texts(registries, ["es", "fr"]) if "collections" in p.path]
    assert "have no translation in es, fr" in listed.message
    assert "war-in-yemen" in listed.message
    checked = editor("check")
    assert checked.exit_code == 0, checked.output
    assert "registry/collections.yml: warning: 1 description(s) have no translation" in (
        checked.output
    )
    assert "No problems, 1 warning." in checked.output
    editor(
        "add", "collection", "War in Sahel", "--description", "A war.", "--description", "es=Una."
    )
    registries = load_registries(editor.content)
    [listed] = [p for p in untranslated_texts(registries, ["es"]) if "collections" in p.path]
    assert "war-in-yemen" in listed.message and "war-in-sahel" not in listed.message


def problems(editor, extra: str) -> list[str]:
    registries = load_registries(editor.content)
    try:
        parse_document(
            "d.md", GOOD.format(extra=extra).encode(), registries, {"rights": "fair-use-us"}
        )
    except ArchiveError as err:
        return [str(p) for p in err.problems]
    return []


def test_suggestions_only_when_close_and_always_with_the_add_command(editor):
    [unknown] = problems(editor, "locations:\n  - Moskow\n")  # the registry has Moscow
    assert "did you mean 'Moscow'" in unknown and "Damascus" not in unknown
    [far] = problems(editor, "locations:\n  - Kramatorsk Oblast South\n")
    assert "did you mean" not in far
    assert "add it: archive add location 'Kramatorsk Oblast South' --type … --parent …" in far
    [one_word] = problems(editor, "actors:\n  - Surovkin\n")
    assert "did you mean 'Sergey Surovikin'?" in one_word
    [spanish] = problems(editor, "actors:\n  - Estado Islamco\n")  # names: {es: Estado Islámico}
    assert "did you mean 'Islamic State'?" in spanish


def test_an_unknown_collection_suggests_across_aliases(editor):
    text = GOOD.replace("collection: syria-war", "collection: War in Siria")
    with pytest.raises(ArchiveError) as caught:
        parse_document("d.md", text.format(extra="").encode(), load_registries(editor.content), {})
    assert "did you mean 'syria-war'" in str(caught.value)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("actors: Islamic State, NATO\n", "one line per name: '  - Islamic State', '  - NATO'"),
        ("actors:\n  -Islamic State\n", "put a space after each '-'"),
        ("summary:The text\n", "d.md:7: a ':' or '-' here has no space after it"),
        ("place: Moscow\n", "d.md:7: unknown field 'place'. Fix: 'place:' belongs under 'source:'"),
        ("summary: Report: the findings\n", "d.md:7: a value contains ': ' (a colon and a space)"),
        ('summary: "unclosed\n', "a quote or a bracket is opened and never closed"),
    ],
)
def test_yaml_mistakes_in_plain_words(editor, extra, message):
    found = problems(editor, extra)
    assert any(message in problem for problem in found), found
    assert not any("scalar" in p or "mapping values" in p for p in found), found


def test_fix_names_walks_through_unknown_names(editor):
    path = document(
        editor,
        "report.md",
        "actors:\n  - Surovkin\n  - Shabiha units\nlocations:\n  - Zabadani town\n  - Rakka\n",
    )
    answers = "\n".join(
        [
            "k1",  # Surovkin: the sources' spelling of Sergey Surovikin, kept as an alias
            "a",  # Shabiha units: a new actor…
            "armed group",  # …of this type
            "c",  # Zabadani town: a typo…
            "Raqqa",  # …not this one: Raqqa is known, so it is accepted
            "s",  # Rakka: already an alias? skip it
        ]
    )
    result = editor("check", "--fix-names", input=answers + "\n")
    assert "Unknown actor 'Surovkin'" in result.output
    assert "Added 'Surovkin' to the aliases of 'sergey-surovikin'" in result.output
    assert "delete that line if it was a typo" in result.output
    assert "Added actor 'Shabiha units' as 'shabiha-units'" in result.output
    assert "Replaced 'Zabadani town' by 'Raqqa'" in result.output
    registries = load_registries(editor.content)
    assert registries.actors.resolve("Surovkin").slug == "sergey-surovikin"
    assert registries.actors.resolve("Shabiha units").type == "armed group"
    assert "  - Raqqa\n" in path.read_text(encoding="utf-8")


def test_fix_names_corrects_to_the_closest_name_by_default(editor):
    """Enter alone corrects the typo: it is never stored as a spelling of the entry."""
    path = document(editor, "report.md", "actors:\n  - Islamic Stat\n")
    result = editor("check", "--fix-names", input="\n")
    assert "Choice (1, k1, c, a, s) [1]:" in result.output
    assert "1  a misspelling of 'Islamic State': correct it in the documents" in result.output
    assert "  - Islamic State\n" in path.read_text(encoding="utf-8")
    assert (
        "Islamic Stat" not in load_registries(editor.content).actors.terms["islamic-state"].aliases
    )


def test_fix_names_suggests_the_parent_of_a_new_place(editor):
    """A misspelt parent is answered with the closest place, offered as the default."""
    document(editor, "report.md", "locations:\n  - Qudsaya Heights\n")
    result = editor("check", "--fix-names", input="a\ntown\nDamscus\n\n")
    assert "'Damscus' is not a place of the registry: did you mean 'Damascus'" in result.output
    assert "Added location 'Qudsaya Heights'" in result.output
    place = load_registries(editor.content).locations.resolve("Qudsaya Heights")
    assert place.parent == "damascus"


def test_fix_names_groups_a_publishers_spelling_and_never_respells_it(editor):
    """A publisher is a printed fact: its new spelling becomes an alias, the text stays."""
    path = document(editor, "report.md", "")
    path.write_text(
        path.read_text(encoding="utf-8").replace("publisher: Reuters", "publisher: Reuter's"),
        encoding="utf-8",
    )
    result = editor("check", "--fix-names", input="1\n")
    assert 'Unknown publisher "Reuter\'s" in articles/syria-war/2020/report.md:6' in result.output
    assert "c  correct the spelling" not in result.output
    assert "Added \"Reuter's\" to the aliases of 'reuters'" in result.output
    assert load_registries(editor.content).publishers.resolve("Reuter's").slug == "reuters"
    assert "publisher: Reuter's" in path.read_text(encoding="utf-8")


def test_fix_names_writes_a_correction_yaml_can_read_whatever_its_quotes(editor):
    """A single-quoted typo corrected to a name with an apostrophe (case C16)."""
    path = document(editor, "report.md", "actors:\n  - 'Donetsk Peoples Republik'\n")
    result = editor("check", "--fix-names", input="c\nDonetsk People's Republic\n")
    assert "Replaced 'Donetsk Peoples Republik'" in result.output
    assert "  - Donetsk People's Republic\n" in path.read_text(encoding="utf-8")  # plain, valid
    assert editor("check").exit_code == 0


def test_fix_names_says_so_when_no_line_can_be_corrected(editor):
    path = document(editor, "report.md", "actors: [Surovkin, Lavrov]\n")
    before = path.read_text(encoding="utf-8")
    result = editor("check", "--fix-names", input="c\nSergey Surovikin\n")
    assert "nothing changed" in result.output and "Replaced" not in result.output
    assert path.read_text(encoding="utf-8") == before


def test_registry_commands_run_at_once_all_land(editor):
    """Ten `archive add` at once, as ten editors' terminals (case C11): ten entries."""
    import subprocess
    import sys

    settings = editor.content.parent / "fixtureconf.py"
    commands = [
        subprocess.Popen(
            [sys.executable, "-m", "archive", "add", "actor", f"Concurrent Person {n}"]
            + ["--type", "person", "--settings", str(settings)],
            cwd=editor.content.parent,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        for n in range(10)
    ]
    for command in commands:
        assert command.wait(timeout=120) == 0, command.stdout.read()
    actors = load_registries(editor.content).actors.terms
    assert {f"concurrent-person-{n}" for n in range(10)} <= set(actors)


def test_a_registry_write_that_fails_leaves_the_file_as_it_was(editor, monkeypatch):
    """A full disk or a kill mid-write (cases C12-C14): the registry is whole, unchanged."""
    import os

    registry = editor.content / "registry" / "actors.yml"
    before = registry.read_bytes()

    def disk_full(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    result = editor("add", "actor", "Someone New", "--type", "person")
    assert result.exit_code == 1
    assert "actors.yml: could not write the file (No space left on device); it is as it" in (
        result.output
    )
    assert registry.read_bytes() == before
    assert [p.name for p in registry.parent.iterdir() if p.name.startswith(".actors")] == []


def test_ctrl_c_during_a_registry_write_leaves_it_as_it_was(editor, monkeypatch):
    """Case C14: interrupted while the new text is being written, the old file stays."""
    import os

    registry = editor.content / "registry" / "actors.yml"
    before = registry.read_bytes()

    def interrupted(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    result = editor("add", "actor", "Someone New", "--type", "person")
    assert result.exit_code == 1 and "Aborted!" in result.output  # click's word for Ctrl-C
    assert registry.read_bytes() == before
    assert [p.name for p in registry.parent.iterdir() if p.name.startswith(".actors")] == []


def test_a_kill_during_a_registry_write_leaves_it_whole_and_check_names_the_leftover(editor):
    """Case C13: `archive add` killed (SIGKILL, no clean-up runs) once the new text is written
    beside the registry and before it takes the registry's name."""
    import subprocess
    import sys

    registry = editor.content / "registry" / "actors.yml"
    before = registry.read_bytes()
    settings = ["--settings", str(editor.content.parent / "fixtureconf.py")]
    killed_at_fsync = (
        "import os, signal, sys\n"
        "os.fsync = lambda fd: os.kill(os.getpid(), signal.SIGKILL)\n"
        "from archive.cli import main\n"
        "sys.argv = ['archive', *sys.argv[1:]]\n"
        "main()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", killed_at_fsync, "add", "actor", "Someone New"]
        + ["--type", "person", *settings],
        cwd=editor.content.parent,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == -9, done.stderr
    assert registry.read_bytes() == before
    [leftover] = [p for p in registry.parent.iterdir() if p.name.startswith(".actors.yml.")]
    checked = editor("check")
    assert checked.exit_code == 1
    assert (
        f"registry/{leftover.name}: this file was left by a command that was interrupted "
        "while it saved actors.yml; actors.yml is as it was before that command" in checked.output
    )
    assert "Fix: delete it" in checked.output


def test_a_registry_write_over_the_file_size_limit_leaves_it_whole(editor):
    import resource
    import subprocess
    import sys

    registry = editor.content / "registry" / "actors.yml"
    before = registry.read_bytes()
    assert len(before) > 8192

    def limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (8192, 8192))

    done = subprocess.run(
        [sys.executable, "-m", "archive", "add", "actor", "Someone New", "--type", "person"]
        + ["--settings", str(editor.content.parent / "fixtureconf.py")],
        cwd=editor.content.parent,
        preexec_fn=limit,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "could not write the file (File too large); it is as it was" in done.stderr
    assert registry.read_bytes() == before


@pytest.mark.parametrize(
    "name, slug",
    [
        ("2014", "2014"),  # YAML would read it as a number: the key is quoted (case C3)
        ("True", "true"),
        ("A" * 200, "a" * 64),  # case C4: an address, not the whole name
        ("Index", "index-entry"),  # the overview page's address (case C9)
        ("Con", "con-entry"),  # a name Windows cannot store
    ],
)
def test_any_name_is_added_with_an_address_it_can_have(editor, name, slug):
    result = editor("add", "actor", name, "--type", "person")
    assert result.exit_code == 0, result.output
    assert f"as {slug!r}" in result.output
    assert load_registries(editor.content).actors.terms[slug].name == name


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["Tab\tname"], "'Tab\\tname' holds a tab. Fix: write each name on one line"),
        (["Line\nbreak"], "holds a line break"),
        (["Overview", "--slug", "index"], "the slug 'index' is the address of the overview page"),
        (["Device", "--slug", "aux"], "the slug 'aux' is a name Windows cannot store as a file"),
    ],
)
def test_add_refuses_a_name_or_slug_in_one_line(editor, arguments, message):
    result = editor("add", "actor", *arguments, "--type", "person")
    assert result.exit_code == 1 and message in result.output, result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("registry", ["actors.yml", "locations.yml", "collections.yml"])
def test_no_registry_entry_may_take_the_overview_page_address(editor, registry):
    path = editor.content / "registry" / registry
    entry = "\nindex:\n  name: Index\n" + (
        "  type: other\n" if registry != "collections.yml" else ""
    )
    path.write_text(path.read_text(encoding="utf-8") + entry, encoding="utf-8")
    result = editor("check")
    assert result.exit_code == 1
    assert "'index' is the address of the overview page of its registry" in result.output


def test_the_commit_check_refuses_a_broken_document(tmp_path):
    """The hook `make site`/`make editor` install: a commit touching content/ is checked."""
    import os
    import subprocess

    from conftest import fixture_content

    repo = tmp_path / "archive"
    content = fixture_content("minimal", tmp_path)
    shutil.move(str(content), repo / "content")
    (repo / ".venv").symlink_to(ROOT / ".venv")
    (repo / "pelicanconf.py").write_text(  # the project's settings, pointed at this archive
        f"exec(open({str(ROOT / 'pelicanconf.py')!r}, encoding='utf-8').read())\n"
        f"THEME = {str(ROOT / 'theme')!r}\n",
        encoding="utf-8",
    )
    env = {**os.environ, "GIT_AUTHOR_NAME": "E", "GIT_AUTHOR_EMAIL": "e@example.net"}
    env |= {"GIT_COMMITTER_NAME": "E", "GIT_COMMITTER_EMAIL": "e@example.net"}

    def git(*args):
        return subprocess.run(
            ["git", *args], cwd=repo, env=env, capture_output=True, text=True, timeout=120
        )

    git("init", "-q")
    git("config", "core.hooksPath", str(ROOT / ".githooks"))
    git("add", "-A")
    assert git("commit", "-qm", "the archive").returncode == 0
    report = repo / "content/articles/test/2020/new-report.md"
    report.write_text(GOOD.replace("syria-war", "test").format(extra="locations:\n  - Atlantis\n"))
    git("add", "content")
    refused = git("commit", "-qm", "a report")
    assert refused.returncode == 1
    assert "articles/test/2020/new-report.md:8: unknown location 'Atlantis'" in refused.stderr
    assert "Commit refused: the files above are wrong as they are staged" in refused.stderr
    report.write_text(
        GOOD.replace("syria-war", "test").format(extra="locations:\n  - Example Town\n")
    )
    git("add", "content")
    assert git("commit", "-qm", "a report").returncode == 0
    assert git("log", "--oneline").stdout.count("\n") == 2


def test_the_commit_check_reads_what_is_staged_never_the_working_files(tmp_path):
    """A broken file staged then fixed without `git add` is refused; a fixed file staged then
    broken in the working tree commits; a broken file never staged blocks nothing."""
    import subprocess

    repo, env = editors_clone(tmp_path)

    def git(*args):
        return subprocess.run(
            ["git", *args], cwd=repo, env=env, capture_output=True, text=True, timeout=300
        )

    hooks = ["config", "core.hooksPath", str(ROOT / ".githooks")]
    for setup in (["init", "-q", "-b", "main"], hooks):  # main: production's branch
        git(*setup)
    git("add", "-A")
    assert git("commit", "-qm", "the archive").returncode == 0
    folder = repo / "content/articles/syria-war/2020"
    folder.mkdir(parents=True)
    broken = GOOD.format(extra="locations:\n  - Atlantis\n")
    fixed = GOOD.format(extra="locations:\n  - Raqqa\n")
    report = folder / "report.md"
    report.write_text(broken, encoding="utf-8")
    git("add", "content")
    report.write_text(fixed, encoding="utf-8")  # fixed, but the broken one is staged
    refused = git("commit", "-qm", "a report")
    assert refused.returncode == 1, refused.stdout
    assert "articles/syria-war/2020/report.md:8: unknown location 'Atlantis'" in refused.stderr
    assert "stage the fix with 'git add FILE'" in refused.stderr
    git("add", "content")
    report.write_text(broken, encoding="utf-8")  # the fix is staged; this is not
    elsewhere = folder / "half-finished.md"
    elsewhere.write_text("---\ntitle: [unfinished\n", encoding="utf-8")  # never staged
    committed = git("commit", "-qm", "a report")
    assert committed.returncode == 0, committed.stderr
    assert "Raqqa" in git("show", "HEAD:content/articles/syria-war/2020/report.md").stdout
    # The repository's history is still read: a published text changed without a correction
    # is said of the staged version.
    report.write_text(fixed.replace("Text.", "Other text."), encoding="utf-8")
    git("add", str(report))
    warned = git("commit", "-qm", "a silent change")
    assert warned.returncode == 0, warned.stderr
    assert "report.md: warning: its text changed" in warned.stderr + warned.stdout


def test_a_correction_is_asked_for_only_once_the_document_was_published_on_main(tmp_path):
    """A document is published when it is on the branch production is deployed from (main,
    as pushed to origin when there is one): written and edited on a branch, it needs no
    correction note; once merged, a change of its text needs one, and so does a change on a
    branch of a document main already has."""
    import subprocess

    repo, env = editors_clone(tmp_path)
    origin = tmp_path / "origin.git"

    def git(*args):
        done = subprocess.run(
            ["git", *args], cwd=repo, env=env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, (args, done.stderr)
        return done

    def warned() -> list[str]:
        checked = archive_command("check", cwd=repo)
        assert checked.returncode == 0, checked.stderr  # warnings fail nothing
        return [line for line in checked.stderr.splitlines() if "its text changed" in line]

    subprocess.run(["git", "init", "-q", "--bare", str(origin)], check=True)
    git("init", "-q", "-b", "main")
    git("remote", "add", "origin", str(origin))
    git("add", "-A")
    git("commit", "-qm", "the archive")
    git("push", "-q", "origin", "main")
    git("switch", "-qc", "new-report")
    report = repo / "content/articles/syria-war/2020/report.md"
    report.parent.mkdir()
    report.write_text(GOOD.format(extra=""), encoding="utf-8")
    git("add", "content")
    git("commit", "-qm", "a report")
    report.write_text(GOOD.format(extra="").replace("Text.", "Text, reread."), encoding="utf-8")
    git("commit", "-qam", "reread")
    report.write_text(GOOD.format(extra="").replace("Text.", "Text, final."), encoding="utf-8")
    assert warned() == []  # never on main: nothing was published
    git("commit", "-qam", "final")
    git("switch", "-q", "main")
    git("merge", "-q", "--no-ff", "-m", "Merge the report", "new-report")
    assert warned() == []  # merged, but not pushed: origin/main, production, lacks it
    git("push", "-q", "origin", "main")
    assert warned() == []  # its edits before the merge were never published
    report.write_text(GOOD.format(extra="").replace("Text.", "Text, changed."), encoding="utf-8")
    [line] = warned()
    assert line.startswith("articles/syria-war/2020/report.md: warning: its text changed in ")
    git("checkout", "--", "content")
    git("switch", "-qc", "edit-a-published-one")
    shipped = repo / "content/articles/syria-war/2017/us-led-coalition-colluding-with-is.md"
    text = shipped.read_text(encoding="utf-8")
    shipped.write_text(text.rstrip("\n") + " One more sentence.\n", encoding="utf-8")
    git("commit", "-qam", "an edit of a published document")
    [line] = warned()
    assert line.startswith(
        "articles/syria-war/2017/us-led-coalition-colluding-with-is.md: warning: its text "
        "changed in commit "
    )


def test_the_placeholder_text_of_archive_new_does_not_pass_check(editor):
    text = GOOD.format(extra="").replace("Text.", "Write the document's text here.")
    with pytest.raises(ArchiveError, match=r"d.md:9: the text is still the placeholder"):
        parse_document(
            "d.md", text.encode(), load_registries(editor.content), {"rights": "fair-use-us"}
        )


def test_the_contributing_walkthrough_runs_as_written(tmp_path):
    """Every command of CONTRIBUTING's walkthroughs, in their order, run as written on a copy
    of the archive: adding a document, then renaming it."""
    import re
    import shlex
    import subprocess

    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    blocks = re.findall(
        r"<!-- walkthrough -->\n```sh\n(.*?)```\n<!-- /walkthrough -->", guide, re.S
    )
    assert len(blocks) >= 2  # adding a document, then renaming it
    lines = "".join(blocks).splitlines()
    repo, env = editors_clone(tmp_path)
    origin = tmp_path / "origin.git"

    def run(command: str, cwd=repo):
        done = subprocess.run(
            shlex.split(command), cwd=cwd, env=env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, (command, done.stdout, done.stderr)
        return done

    run(f"git init -q --bare {origin}", cwd=tmp_path)
    for setup in ("git init -q -b main", f"git config core.hooksPath {ROOT / '.githooks'}"):
        run(setup)
    run(f"git remote add origin {origin}")
    run("git add -A")
    run("git commit -qm archive")
    document = None
    for line in lines:
        if line.startswith("#"):
            named = re.search(r"(content/\S+\.md)", line)
            document = repo / named.group(1).rstrip(",") if named else document
            continue
        if line.startswith(".venv/bin/archive check") and document is not None:
            text = document.read_text(encoding="utf-8")
            document.write_text(
                text.replace(
                    "Write the document's text here.",
                    "Ukrainian forces and militias fought near Kramatorsk, the agency said.",
                ),
                encoding="utf-8",
            )
        run(line)
    pushed = run("git log --format=%s add-kramatorsk-report", cwd=origin).stdout
    assert pushed.startswith("Add the Ria Novosti report of 5 July 2014")
    registries = load_registries(repo / "content")
    assert registries.locations.resolve("Kramatorske").parent == "donetsk-oblast"
    assert registries.actors.resolve("Guardia Nacional de Ucrania").type == "armed forces"
    assert "Kramatorsk" in document.read_text(encoding="utf-8")
    assert document.name == "kramatorsk-fighting-ria-novosti.md"


def test_a_summary_is_shown_in_the_lists(tmp_path):
    """CONTRIBUTING says `summary:` is shown in lists: on the home and collection pages."""
    from conftest import build, fixture_content
    from sitecheck import soup

    content = fixture_content("minimal", tmp_path)
    report = content / "articles/test/2020/first-report.md"
    report.write_text(
        report.read_text().replace(
            "title: First report", "title: First report\nsummary: '*Two* lines.'"
        ),
        encoding="utf-8",
    )
    output = build(content, tmp_path / "output")
    for page in ("index.html", "collections/test.html"):
        summaries = soup(output / page).select(".document-list__summary")
        assert [s.decode_contents() for s in summaries] == ["<em>Two</em> lines."], page


def test_make_editor_installs_the_commit_check(tmp_path):
    """`make editor` (and `make site`) point git at .githooks, once, in a git checkout."""
    import subprocess

    repo = tmp_path / "archive"
    repo.mkdir()
    shutil.copy(ROOT / "Makefile", repo / "Makefile")
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    first = subprocess.run(["make", "hooks"], cwd=repo, capture_output=True, text=True)
    assert first.returncode == 0 and "Installed the commit check" in first.stdout
    hooks = subprocess.run(["git", "config", "core.hooksPath"], cwd=repo, capture_output=True)
    assert hooks.stdout.decode().strip() == ".githooks"
    again = subprocess.run(["make", "hooks"], cwd=repo, capture_output=True, text=True)
    assert again.returncode == 0 and "Installed" not in again.stdout  # never twice
    assert "editor: $(INSTALLED) hooks" in (ROOT / "Makefile").read_text()
