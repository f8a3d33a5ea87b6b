"""Handing the archive over: the whole site as one verifiable file (`archive bundle`).

A field office, a court or a partner archive receives one zip holding a BagIt bag, made and
checked with the Library of Congress's `bagit` library (which writes BagIt 0.97). The
payload (`data/`) is a fresh build of the site, captures included, which works opened from
disk; the manifest (`manifest-sha256.txt`) holds every file's SHA-256; `bag-info.txt` says
what the archive is, which commit it was built from, when, how many documents it holds and in
which languages; a short README at the top says how to open it and how to check it. Whoever
receives it can verify it (`archive bundle --verify FILE`, or `bagit.py --validate` on the
unzipped folder), and every file changed, missing or added since it was made is named.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import bagit

from archive.editors.drafts import slug_for
from archive.model.captures import sha256_of
from archive.model.corrections import git_output
from archive.model.problems import fail
from archive.site.build import build_site

#: What the receiver reads first, at the bag's top (a tag file, listed in its tag manifest).
README = """{name}
{underline}

This folder is the archive "{name}": {documents} documents, interface languages
{languages}, built on {built} from commit
{commit}
It is a BagIt bag, made with the Library of Congress's bagit tool.

To read it: open data/index.html in a web browser. Everything, search included, works
from this folder, with no internet connection.

To check that nothing in it was changed, removed or added since it was made, with the
archive's tools:

    archive bundle --verify THIS-FILE.zip

or, on the unzipped folder, with the Library of Congress's bagit tool
(pip install bagit):

    bagit.py --validate THIS-FOLDER

Each file's SHA-256 is listed in manifest-sha256.txt; what the archive is, in
bag-info.txt.
"""


@dataclass(frozen=True)
class Damage:
    """What verification found wrong with one file of a bag: changed, missing or added."""

    path: str
    what: str

    def __str__(self) -> str:
        return f"{self.path}: {self.what}"


def make_bundle(settings_file: str, settings: dict, target: Path) -> Path:
    """Build the site afresh and write it as a zipped BagIt bag at `target`."""
    with tempfile.TemporaryDirectory(prefix="archive-bundle-") as work:
        name = target.name.removesuffix(".zip")
        folder = Path(work) / name
        build_site(settings_file, str(folder))
        info = _bag_info(settings, folder)
        bag = bagit.make_bag(str(folder), info, checksums=["sha256"])
        readme = README.format(
            name=settings["SITENAME"],
            underline="=" * len(settings["SITENAME"]),
            built=info["Bagging-Date"],
            commit=info["External-Identifier"],
            documents=info["Document-Count"],
            languages=info["Interface-Languages"],
        )
        (folder / "README.txt").write_text(readme, encoding="utf-8")
        bag.save(manifests=True)  # the README joins the tag manifest
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        _zip(folder, partial)
        partial.replace(target)
    return target


def _bag_info(settings: dict, site: Path) -> dict[str, str]:
    """bag-info.txt: the archive's name, its commit, the date, its documents and languages."""
    documents = _documents(site)
    interface = (settings.get("LANGUAGES") or {}).get("interface") or [settings["DEFAULT_LANG"]]
    return {
        "Source-Organization": settings["SITENAME"],
        "External-Description": settings.get("SITESUBTITLE", ""),
        "External-Identifier": _commit(Path(settings["PATH"])),
        "Bagging-Date": dt.date.today().isoformat(),
        "Document-Count": str(len(documents)),
        "Document-Languages": ", ".join(sorted({d.get("language", "") for d in documents})),
        "Interface-Languages": ", ".join(interface),
        "Payload-Entry": "data/index.html",
    }


def _documents(site: Path) -> list[dict]:
    """The documents the built site publishes, from its open data (documents.json)."""
    listing = site / "documents.json"
    if not listing.is_file():
        fail(
            str(listing),
            None,
            "the built site has no documents.json, so the bundle cannot say what it holds",
            "keep 'plugins.open_data' in PLUGINS (pelicanconf.py)",
        )
    return json.loads(listing.read_text(encoding="utf-8"))


def _commit(content: Path) -> str:
    """The commit the sources are at, marked if they have changes git has not committed.

    Never a made-up identifier: when git cannot say, it says so.
    """
    head = git_output(content, "rev-parse", "HEAD")
    if head is None:
        return "unknown (not a git repository, or git is not installed)"
    changed = git_output(content, "status", "--porcelain", "--", ".")
    commit = head.strip()
    return f"{commit} with uncommitted changes" if changed and changed.strip() else commit


def _zip(folder: Path, target: Path) -> None:
    """The bag's folder as one zip, under its own name, files in a stable order."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, Path(folder.name) / path.relative_to(folder))


def verify_bundle(bundle: Path) -> list[Damage]:
    """Every file of the zipped bag changed, missing or added since it was made.

    [] when the bag is whole.
    """
    with tempfile.TemporaryDirectory(prefix="archive-verify-") as work:
        try:
            with zipfile.ZipFile(bundle) as archive:
                _safe_names(archive, bundle)
                archive.extractall(work)
        except zipfile.BadZipFile:
            fail(str(bundle), None, "this is not a zip file", "give the bundle's .zip file")
        folders = [p for p in Path(work).iterdir() if p.is_dir()]
        if len(folders) != 1:
            fail(str(bundle), None, "this zip holds no bag folder", "give the bundle's .zip")
        return _damage(folders[0])


def _safe_names(archive: zipfile.ZipFile, bundle: Path) -> None:
    """Refuse a zip whose names would land outside the folder it is unpacked into."""
    for name in archive.namelist():
        if name.startswith(("/", "\\")) or ".." in re.split(r"[/\\]", name):
            fail(
                str(bundle),
                None,
                f"the zip holds a name outside its folder ({name!r})",
                "do not trust this file; ask for the bundle again",
            )


def _damage(folder: Path) -> list[Damage]:
    """The bag validated by the bagit library; when it fails, every file at fault.

    The library stops at the first kind of fault it meets (the payload's count and size, then
    files missing or added, then checksums), so a bag with one file changed and one added
    would name only the addition: the rest is found with the bag's own listing
    (`compare_manifests_with_fs`, `entries`), each file's SHA-256 against its manifest's.
    """
    try:
        bag = bagit.Bag(str(folder))
    except bagit.BagError as error:
        return [Damage(folder.name, f"not a BagIt bag ({error})")]
    try:
        bag.validate(processes=1)
    except bagit.BagError as error:
        found = _every_fault(bag, folder)
        return found or [Damage(folder.name, str(error))]
    return []


def _every_fault(bag, folder: Path) -> list[Damage]:
    missing, added = bag.compare_manifests_with_fs()
    found = [Damage(path, "missing: the bundle listed it") for path in missing]
    found += [Damage(path, "added since the bundle was made") for path in added]
    for path, hashes in bag.entries.items():
        file = folder / path
        if (
            "sha256" in hashes
            and file.is_file()
            and sha256_of(file.read_bytes()) != hashes["sha256"]
        ):
            found.append(Damage(path, "changed since the bundle was made (its SHA-256 differs)"))
    return sorted(found, key=lambda damage: damage.path)


def default_target(settings: dict) -> Path:
    """Where `archive bundle` writes by default: the archive's name and today's date."""
    return Path(f"{slug_for(settings['SITENAME'])}-{dt.date.today().isoformat()}.zip")
