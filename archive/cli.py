"""The `archive` command: the editors' and builders' entry point to the archive."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from archive.model.documents import REMOVAL_REASONS
from archive.model.problems import ArchiveError, Problem, tally
from archive.site.pelican_internals import is_could_not_process


def _settings(settings_file: str) -> dict:
    from pelican.settings import read_settings

    if not Path(settings_file).is_file():
        raise click.UsageError(
            f"no settings file {settings_file!r}: run this in the archive's folder"
        )
    try:
        return read_settings(settings_file)
    except Exception as err:  # Pelican raises plain errors for unusable settings
        raise click.ClickException(
            f"the settings file {settings_file} cannot be used: {err}. Fix: correct it, or "
            "run the command in the archive's folder"
        ) from None


class _WithoutPelicansSkipNotice(logging.Filter):
    """Drop Pelican's notice that it skipped a file: the build's summary gives each reason."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not is_could_not_process(record)


def _log_warnings() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    for handler in logging.getLogger().handlers:
        handler.addFilter(_WithoutPelicansSkipNotice())


def _report(problems: list[Problem], output_format: str) -> None:
    """Print problems for a person, or as GitHub annotations on the pull request."""
    for problem in problems:
        if output_format == "github":
            where = f"file={_annotation_property('content/' + problem.path)}" + (
                f",line={problem.line}" if problem.line else ""
            )
            message = _annotation_data(str(problem).split(": ", 1)[-1])
            if problem.is_warning:
                message = message.removeprefix("warning: ")
            click.echo(f"::{problem.severity} {where}::{message}")
        else:
            click.echo(str(problem), err=True)


def _annotation_data(text: str) -> str:
    """Escape a workflow command's message: a newline must never start a forged command."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _annotation_property(text: str) -> str:
    """Escape a workflow command's property (a file name may hold ',', ':' or a newline)."""
    return _annotation_data(text).replace(":", "%3A").replace(",", "%2C")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main():
    """Build and look after a documentary archive."""


settings_option = click.option(
    "--settings",
    "settings_file",
    default="pelicanconf.py",
    show_default=True,
    help="Pelican settings file (publishconf.py for the deployed site).",
)


@main.command()
@settings_option
@click.option("--output", default=None, help="Output folder (default: the settings' OUTPUT_PATH).")
@click.option("--debug", is_flag=True, help="Show Python tracebacks, for developers.")
def build(settings_file, output, debug):
    """Build the whole site into the output folder, replacing it only if the build succeeds."""
    from archive.site.build import build_warnings, build_with, drafts_notice

    _log_warnings()
    try:
        folder, built = build_with(settings_file, output)
    except ArchiveError as err:
        click.echo(
            f"Build failed: {tally(err.problems)}; the previous site was left as it was.",
            err=True,
        )
        _report(err.problems, "text")
        sys.exit(1)
    except Exception as err:
        if debug:
            raise
        click.echo(
            f"Build failed: {type(err).__name__}: {err}\n"
            "  (run 'archive build --debug' for the details a developer needs)",
            err=True,
        )
        sys.exit(1)
    warnings = build_warnings(built.generators)
    _report(warnings, "text")
    click.echo(f"Built the site into {folder}" + (f" ({tally(warnings)})" if warnings else ""))
    shown = folder.relative_to(Path.cwd()) if folder.is_relative_to(Path.cwd()) else folder
    drafts = drafts_notice(built.generators, f"{shown.as_posix()}/")
    if drafts:
        click.echo(drafts)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@settings_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "github"]),
    default="text",
    show_default=True,
    help="'github' prints pull-request annotations.",
)
@click.option(
    "--fix-names",
    is_flag=True,
    help="Walk through unknown actors and places: add them, alias them or correct them.",
)
def check(paths, settings_file, output_format, fix_names):
    """Check documents and registries without building (all of content/, or PATHS).

    Reports every problem with its file, line and fix; exits 1 if there is any. Warnings
    are reported too, labelled, and fail nothing.
    """
    from archive.editors.check import check as check_content

    settings = _settings(settings_file)
    content = Path(settings["PATH"]).resolve()
    outside = [path for path in paths if not path.resolve().is_relative_to(content)]
    if outside:
        raise click.UsageError(
            f"{outside[0]} is not in the content folder ({content}); "
            "archive check checks documents and registries of the archive only"
        )
    if fix_names:
        from archive.editors.fix_names import walk

        click.echo(f"{walk(content, settings)} name(s) resolved. Checking again:")
    problems = check_content(content, settings, list(paths) or None)
    _report(problems, output_format)
    if not problems:
        click.echo("No problems found.")
        return
    click.echo(f"{tally(problems).capitalize()}.", err=True)
    if not all(problem.is_warning for problem in problems):
        sys.exit(1)


@main.command()
@settings_option
@click.option("--title", prompt=True, help="The document's title, as published.")
@click.option("--publisher", prompt="Source publisher", help="Who first published it.")
@click.option("--place", default="", help="Where it was first published.")
@click.option("--source-date", default=None, help="When it was first published (YYYY-MM-DD).")
@click.option("--url", default="", help="The original web address.")
@click.option("--collection", prompt=True, help="A collection key or name from the registry.")
@click.option("--published", default=None, help="The archive's publication date (default: today).")
@click.option("--language", default="en", show_default=True, help="Two-letter language code.")
@click.option("--rights", default=None, help="A key of registry/rights.yml (default: the site's).")
@click.option("--actor", "actors", multiple=True, help="An actor (repeat for several).")
@click.option("--location", "locations", multiple=True, help="A location (repeat for several).")
@click.option("--slug", default=None, help="File name and address (default: from the title).")
def new(
    settings_file,
    title,
    publisher,
    place,
    source_date,
    url,
    collection,
    published,
    language,
    rights,
    actors,
    locations,
    slug,
):
    """Create a new document with a complete front matter, at its conventional path.

    Refuses (naming the option and the fix) any value the build would refuse, and writes
    only under content/articles/.
    """
    from archive.editors.drafts import new_document

    settings = _settings(settings_file)
    options = {
        "title": title,
        "publisher": publisher,
        "place": place,
        "source_date": source_date,
        "url": url,
        "collection": collection,
        "published": published,
        "language": language,
        "rights": rights,
        "actors": actors,
        "locations": locations,
        "slug": slug,
    }
    try:
        path = new_document(Path(settings["PATH"]), settings, options)
    except ArchiveError as err:
        _report(err.problems, "text")
        sys.exit(1)
    click.echo(f"Created {path}")


@main.command(name="import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@settings_option
@click.option("--url", default="", help="The address the page was captured from (one page).")
@click.option(
    "--captured",
    default=None,
    help="When the page was captured, YYYY-MM-DD (one page; default: today).",
)
@click.option(
    "--manifest",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="A CSV of file,url,captured giving each page's address and capture date.",
)
def import_(paths, settings_file, url, captured, manifest):
    """Turn scraped pages and PDFs (files, or folders of .txt and .pdf files) into drafts.

    Keeps each raw page or PDF under content/captures/ with its checksum, skips pages already
    imported and texts already in the archive, and ends with a table of what was found.
    Exits 1 if a page was refused (not an article, unreadable, larger than a document, or a
    PDF with scripts, launch actions, embedded files, or damaged).
    """
    from archive.editors.bulk_import import collect_pages, import_pages, origins_for, summary
    from archive.model.documents import document_settings

    settings = _settings(settings_file)
    max_bytes = document_settings(settings)["max_bytes"]
    pages, skipped = collect_pages(paths)
    try:
        origin_of = origins_for(pages, url, captured, manifest)
    except ValueError as err:
        raise click.UsageError(str(err)) from None
    except ArchiveError as err:
        _report(err.problems, "text")
        sys.exit(2)
    try:
        with click.progressbar(pages, label="Importing", file=sys.stderr) as bar:
            run = import_pages(
                Path(settings["PATH"]), bar, origin_of, skipped=skipped, max_bytes=max_bytes
            )
    except ArchiveError as err:  # a registry the drafts would be checked against is broken
        _report(err.problems, "text")
        sys.exit(1)
    click.echo(summary(run))
    sys.exit(1 if run.refused else 0)


@main.command()
@click.argument("kind", type=click.Choice(["actor", "location", "publisher", "collection"]))
@click.argument("name")
@settings_option
@click.option("--type", "type_", default="", help="Not collections: see the registry's list.")
@click.option("--alias", "aliases", multiple=True, help="Another spelling (repeat for several).")
@click.option("--parent", default="", help="Locations: the place that contains it (slug or name).")
@click.option("--wikidata", default="", help="Its Wikidata Q-id, only when certain (Q858).")
@click.option("--coordinates", default="", help="Locations: latitude,longitude (35.95,39.01).")
@click.option(
    "--name",
    "names",
    multiple=True,
    help='Its name in another language: es="Estado Islámico" (repeat per language).',
)
@click.option(
    "--description",
    "descriptions",
    multiple=True,
    help='One sentence saying who or what it is; es="…" gives it in another language.',
)
@click.option("--homepage", default="", help="Publishers: the organisation's own address.")
@click.option("--slug", default="", help="Its address (default: from the name).")
def add(
    kind,
    name,
    settings_file,
    type_,
    aliases,
    parent,
    wikidata,
    coordinates,
    names,
    descriptions,
    homepage,
    slug,
):
    """Add an actor, location, publisher or collection to its registry, checked as the build will.

    The slug is derived from the name; the registry file keeps its comments and order. Give
    its name and description in each interface language the archive has (--name es=…,
    --description fr=…): a language without one shows the name as it is and the description
    in the archive's own language.
    """
    from archive.editors.registry_edit import NewEntry, add_entry, by_language, untranslated

    settings = _settings(settings_file)
    own, translated = by_language(descriptions)
    if len(own) > 1:
        raise click.UsageError("give one --description without a language (the archive's own)")
    entry = NewEntry(
        kind,
        name,
        type_,
        list(aliases),
        parent,
        wikidata,
        coordinates,
        own[0] if own else "",
        slug,
        homepage,
        names=_language_pairs("--name", names),
        descriptions=translated,
    )
    try:
        registry, slug = add_entry(Path(settings["PATH"]), entry)
    except ArchiveError as err:
        _report(err.problems, "text")
        sys.exit(1)
    click.echo(f"Added {kind} {name!r} as {slug!r} to {registry}.")
    for line in untranslated(entry, settings["LANGUAGES"]["interface"], registry):
        click.echo(line)


def _language_pairs(option: str, values: tuple[str, ...]) -> list[tuple[str, str]]:
    """`es=Estado Islámico` options as (language, text) pairs; a usage error without '='."""
    from archive.editors.registry_edit import by_language

    plain, pairs = by_language(values)
    if plain:
        raise click.UsageError(f"{option} {plain[0]!r}: write the language first, e.g. es=…")
    return pairs


def _document_argument(settings: dict, document: Path) -> Path:
    """A document of the content folder given on the command line, or a usage error."""
    from archive.model.inventory import is_document_file

    content = Path(settings["PATH"]).resolve()
    if not document.resolve().is_relative_to(content) or not is_document_file(document):
        raise click.UsageError(f"{document} is not a document of the content folder ({content})")
    return document


def _report_left_behind(settings: dict, passage: str, what: str) -> None:
    """Say where `passage` is still found: the content, the built site, the deploy cache."""
    from archive.editors.removals import left_behind

    content = Path(settings["PATH"]).resolve()
    folders = [content, Path(settings["OUTPUT_PATH"]).resolve()]
    cache = (settings.get("BUILD_CACHE") or {}).get("folder")
    if cache:
        folders.append(Path(cache).resolve())
    left = left_behind(passage, folders, content.parent)
    if not left:
        click.echo(f"{what} is found nowhere else in the content, the site or the cache.")
        return
    click.echo(f"Warning: {what} is still found in {len(left)} place(s):", err=True)
    for place in left:
        click.echo(f"  {place}", err=True)
    click.echo(
        "Fix: redact each document that still has it (archive redact FILE …), and rebuild the "
        "site (make site) before anything is published from it.",
        err=True,
    )


_REASONS = "; ".join(f"{key}: {why}" for key, why in REMOVAL_REASONS.items())
_HISTORY = (
    "The repository's history still holds what was removed: see CONTRIBUTING.md, "
    "'When a document must come down', before you push."
)


@main.command()
@click.argument("document", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("new_name")
@settings_option
def rename(document, new_name, settings_file):
    """Rename a document: its file, its capture, and every link to them; old addresses kept.

    NEW_NAME is the new file name without a folder (us-strikes-on-raqqa): the document stays
    in its folder. Its old address, in every interface language, and its capture's keep
    leading readers to the new ones (recorded under 'moved:' in the document).
    """
    from archive.editors.rename import rename as rename_document

    settings = _settings(settings_file)
    path = _document_argument(settings, document)
    try:
        done = rename_document(Path(settings["PATH"]), path, new_name, settings)
    except ArchiveError as err:
        _report(err.problems, "text")
        sys.exit(1)
    first, *rest = done
    click.echo(first[0].upper() + first[1:] + ".")
    for line in rest:
        click.echo(f"- {line}.")
    click.echo("Commit the change: git add -A content, then git commit.")


@main.command()
@click.argument("document", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@settings_option
@click.option(
    "--reason",
    required=True,
    type=click.Choice(sorted(REMOVAL_REASONS)),
    help="Why, as its notice says it: " + _REASONS,
)
@click.option(
    "--title",
    "title",
    type=click.Choice(["withheld", "shown"]),
    default="withheld",
    show_default=True,
    help="Whether the notice at its address shows its title.",
)
def withdraw(document, settings_file, reason, title):
    """Withdraw a published document: its address keeps only a notice saying when and why.

    It leaves every list, search, feed and data file; its text, summary, warning and capture
    are deleted from the content folder, and its title too unless --title shown.
    """
    from archive.editors.removals import withdraw as withdraw_document

    settings = _settings(settings_file)
    path = _document_argument(settings, document)
    try:
        withdrawn = withdraw_document(
            Path(settings["PATH"]), path, settings, reason, title == "shown"
        )
    except ArchiveError as err:
        _report(err.problems, "text")
        sys.exit(1)
    click.echo(f"Withdrew {path}: " + "; ".join(withdrawn.done) + ".")
    if withdrawn.versions:
        click.echo(
            "Warning: its versions in other languages are still published: "
            + ", ".join(withdrawn.versions)
            + ". Fix: withdraw them too if they hold what put someone at risk.",
            err=True,
        )
    if withdrawn.title:
        _report_left_behind(settings, withdrawn.title, "Its title")
    click.echo(_HISTORY)


@main.command()
@click.argument("document", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("passage")
@settings_option
@click.option(
    "--with",
    "replacement",
    default=None,
    help="What stands in its place (default: '[name withheld]' in the document's language).",
)
@click.option(
    "--reason",
    default="safety",
    show_default=True,
    type=click.Choice(sorted(REMOVAL_REASONS)),
    help="Why, as its correction says it: " + _REASONS,
)
@click.option("--note", default="", help="A public note added to the reason (never the passage).")
def redact(document, passage, settings_file, replacement, reason, note):
    """Remove a name or passage from a document, its capture's published copy and its lists.

    A correction says why, never what; the capture keeps the checksum of its copy before.
    Then says where else the passage is still found.
    """
    from archive.editors.removals import redact as redact_document

    settings = _settings(settings_file)
    path = _document_argument(settings, document)
    try:
        done = redact_document(
            Path(settings["PATH"]), path, settings, passage, reason, replacement, note
        )
    except ArchiveError as err:
        _report(err.problems, "text")
        sys.exit(1)
    click.echo(f"Redacted {path}: " + "; ".join(done) + ".")
    _report_left_behind(settings, passage, "The passage")
    click.echo(_HISTORY)


@main.command()
@settings_option
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The zip to write (default: the archive's name and today's date, here).",
)
@click.option(
    "--verify",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Check a bundle instead: name every file changed, missing or added since it was made.",
)
def bundle(settings_file, output, verify):
    """Build the site and write it as one zip to hand over: a BagIt bag, verifiable.

    The receiver opens data/index.html in the unzipped folder (search works from disk) and
    checks it with 'archive bundle --verify FILE' or the bagit tool.
    """
    from archive.editors.bundle import default_target, make_bundle, verify_bundle

    try:
        if verify is not None:
            damage = verify_bundle(verify)
            for item in damage:
                click.echo(f"{verify.name}: {item}", err=True)
            if damage:
                click.echo(f"{len(damage)} file(s) differ from the bundle as made.", err=True)
                sys.exit(1)
            click.echo(f"{verify}: whole; every file is as it was when the bundle was made.")
            return
        _log_warnings()
        settings = _settings(settings_file)
        target = make_bundle(settings_file, settings, output or default_target(settings))
    except ArchiveError as err:
        _report(err.problems, "text")
        sys.exit(1)
    click.echo(f"Wrote {target} ({target.stat().st_size / 1e6:.1f} MB): a BagIt bag of the site.")


@main.command()
@settings_option
@click.option(
    "--identify",
    is_flag=True,
    help="Name the archive in the requests (default: a browser's user agent, naming nobody).",
)
@click.option(
    "--timeout",
    default=20.0,
    show_default=True,
    type=click.FloatRange(1, 300),
    help="Seconds an address has to answer.",
)
def links(settings_file, identify, timeout):
    """Ask every original's and intermediary's address how it answers now.

    Records each answer in content/links.yml (commit it: document pages then say which
    sources are gone or moved, with the Wayback Machine's copy) and reports what changed
    since the last check. Uses the proxy set in https_proxy / http_proxy, if any.
    """
    from archive.editors.links import NEUTRAL_AGENT, check_all, cited_addresses
    from archive.model.link_states import LINKS_FILE, OK, load_states, save_states

    settings = _settings(settings_file)
    content = Path(settings["PATH"])
    try:
        cited = cited_addresses(content, settings)
        before = load_states(content)
    except ArchiveError as err:
        _report(err.problems, "text")
        sys.exit(1)
    site = (settings.get("PROVENANCE") or {}).get("site_url") or ""
    agent = f"{settings['SITENAME']} link check {site}".strip() if identify else NEUTRAL_AGENT
    now = check_all([place.url for place in cited], agent, timeout)
    save_states(content, now)
    if before:
        last = max(state.checked for state in before.values())
        changed = [c for c in cited if now[c.url].change_from(before.get(c.url))]
        click.echo(f"Changed since the last check ({last.isoformat()}): {len(changed)}")
    else:
        changed = [c for c in cited if now[c.url].state != OK]
        click.echo(f"First check: {len(changed)} address(es) do not simply answer")
    for place in changed:
        was = before.get(place.url)
        step = f"{was.in_words()} -> " if was else ""
        click.echo(f"  {place.url}: {step}{now[place.url].in_words()}")
        click.echo(f"    cited by {', '.join(place.documents)}")
    counts: dict[str, int] = {}
    for state in now.values():
        counts[state.state] = counts.get(state.state, 0) + 1
    summary = ", ".join(f"{count} {state}" for state, count in sorted(counts.items()))
    click.echo(
        f"Checked {len(cited)} address(es) ({summary or 'none'}); recorded in "
        f"content/{LINKS_FILE}: commit it."
    )


@main.command()
@settings_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
def serve(settings_file, host, port):
    """Build, serve on 127.0.0.1, and update the site whenever its sources change.

    Editing a document's text rewrites only its page (and search, in the background);
    other changes rebuild the whole site.
    """
    from archive.editors.serve import serve_and_rebuild

    _log_warnings()
    serve_and_rebuild(settings_file, host, port, _report)
