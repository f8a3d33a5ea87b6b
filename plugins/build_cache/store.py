"""The cache folder: the last build's pages, what each showed, and the seal that vouches for them.

    <folder>/<key>/pages.json     every page of that build: its fingerprints, files and their
                                  SHA-256
    <folder>/<key>/pages/         those files, hard links to the published ones if the disk allows
    <folder>/<key>/fronts.json    the digest of each source file's front matter, by the file's own
    <folder>/<key>/fragments.json the list entries of that build, by what they show
    <folder>/<key>/readers/       Pelican's own cache of what its readers made of each source file
    <folder>/<key>/manifest.json  the site key, and the SHA-256 of every file above but pages/
    <folder>/<key>/manifest.hmac  the manifest's HMAC under the build's secret, written last

The key digests everything a page depends on besides the documents: the code of the build
(our packages and plugins, the installed versions of the libraries that render), the theme,
the settings, and the content that is not a document (registries, pages). A build uses the
cache of its own key only; the caches of the two most recent keys are kept.

**The folder is untrusted input.** Netlify keeps one cache folder for every context, so a
deploy preview (a pull request's code) can write in it what production's next deploy reads.
So nothing in it is trusted unless it is sealed with a secret that only production has
(`ARCHIVE_CACHE_SECRET`, plugin.py): the manifest's HMAC must match, every file it lists
must have its digest (Pelican's readers cache is a pickle: it is loaded only then), no file
may be there that it does not list, no symbolic link anywhere in it (or as it), every
page's name must stay inside the output, and a
kept page is restored only if its bytes have the SHA-256 the sealed pages.json gives. A
folder that fails is cleared and the build is a clean one; one bad page is rendered again.
Nothing is unpickled but Pelican's sealed readers cache.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import posixpath
import shutil
import sys
from importlib import metadata
from pathlib import Path

from archive.site.build import code_folders

#: Bumped when the layout of the cache folder or the fingerprints change.
FORMAT = 4
#: How many keys' caches a cache folder keeps (production and the latest preview's).
KEEP = 2
#: Characters of the key that name its folder.
KEY_LENGTH = 16
#: The libraries whose versions change what a build writes.
LIBRARIES = (
    "pelican",
    "jinja2",
    "markupsafe",
    "markdown-it-py",
    "mdit-py-plugins",
    "babel",
    "pyyaml",
)
#: Settings that name places on this machine, or that this plugin sets itself.
LOCAL_SETTINGS = (
    "PATH",
    "OUTPUT_PATH",
    "THEME",
    "PLUGIN_PATHS",
    "CACHE_PATH",
    "CACHE_CONTENT",
    "LOAD_CONTENT_CACHE",
    "CHECK_MODIFIED_METHOD",
    "CONTENT_CACHING_LAYER",
    "GZIP_CACHE",
    "BUILD_CACHE",
    "BUILD_CACHE_RUN",
    "BUILD_CACHE_RESTORED",
    "FRAGMENTS_KEPT",
)


def site_key(settings: dict) -> str:
    """The digest of the code, theme, settings and non-document content of a build."""
    digest = hashlib.sha256(f"{FORMAT} {sys.version}".encode())
    for library in LIBRARIES:
        digest.update(f"{library} {metadata.version(library)}\n".encode())
    folders = [*code_folders(settings), Path(settings["THEME"])]
    for folder in folders:
        _digest_folder(digest, folder, skip=())
    content = Path(settings["PATH"])
    documents = [content / p for p in (*settings["ARTICLE_PATHS"], *settings["STATIC_PATHS"])]
    _digest_folder(digest, content, skip=tuple(documents))
    kept = {k: v for k, v in settings.items() if k not in LOCAL_SETTINGS}
    digest.update(json.dumps(kept, sort_keys=True, default=_described).encode())
    return digest.hexdigest()


def _digest_folder(digest, folder: Path, skip: tuple[Path, ...]) -> None:
    """Add every file under `folder` (its path below it and its bytes) to `digest`."""
    for root, folders, files in os.walk(folder):
        folders[:] = sorted(
            name for name in folders if name != "__pycache__" and Path(root, name) not in skip
        )
        for name in sorted(files):
            if name.endswith(".pyc"):
                continue
            path = Path(root, name)
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())


def _described(value) -> str:
    """A setting JSON cannot hold, described without its address in memory."""
    if isinstance(value, set | frozenset):
        return json.dumps(sorted(map(str, value)))
    name = getattr(value, "__qualname__", None) or type(value).__qualname__
    return f"<{getattr(value, '__module__', '')}.{name}>"


#: The files of a key's folder that vouch for the rest (the seal is written last).
MANIFEST, SEAL = "manifest.json", "manifest.hmac"
#: The folder of the kept pages, whose digests pages.json holds rather than the manifest.
PAGES = "pages"
#: The records a key's folder keeps besides its pages, each listed in the manifest.
RECORDS = ("pages.json", "fronts.json", "fragments.json")


class Untrusted(Exception):
    """The cache folder of a key is not what a build with the secret sealed (why, in words)."""


def hmac_of(secret: bytes, manifest: bytes) -> str:
    """The HMAC-SHA256 of a manifest under the build's secret, in hex."""
    return hmac.new(secret, manifest, hashlib.sha256).hexdigest()


def file_digest(path) -> str:
    """The SHA-256 of a file's bytes, in hex."""
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def inside(name) -> bool:
    """Whether `name` is a plain relative path that stays below the folder it is joined to."""
    return (
        isinstance(name, str)
        and name not in ("", ".", "..")
        and not name.startswith(("/", "../"))
        and "\\" not in name
        and "\0" not in name
        and posixpath.normpath(name) == name
    )


class CacheFolder:
    """The cache folder of one build: what the last build left, and what this one leaves.

    `secret`: the build's secret (bytes), which seals what it leaves and must have sealed
    what it reads. `refused` says why a folder that was there is not used, if it is not.
    """

    def __init__(self, root: Path, key: str, secret: bytes):
        # One folder per key: deploy previews (whose settings name another address) and
        # production deploys share Netlify's cache without emptying each other's.
        folder = root / key[:KEY_LENGTH]
        self.root, self.folder, self.key, self.secret = root, folder, key, secret
        self.readers = folder / "readers"
        self.pages = folder / PAGES
        self.previous: dict[str, dict] = {}
        self.current: dict[str, dict] = {}
        self.reused = 0
        self.made: set[str] = set()  # output folders restore made
        # Front-matter digests by source digest (dependencies.ArchiveDigests): the last
        # build's, and this build's to keep.
        self.earlier_fronts: dict[str, str] = {}
        self.fronts: dict[str, str] = {}
        # List entries (plugins/fragments) by what they show: the last build's, this one's.
        self.earlier_fragments: dict[tuple, str] = {}
        self.fragments: dict[tuple, str] = {}
        self.valid, self.refused = False, None
        for path in (root, folder):  # a link would have this build write where it points
            if path.is_symlink():
                path.unlink()
                self.refused = f"{path.name} was a symbolic link"
        if (folder / SEAL).is_file():
            try:
                self._open()
                self.valid = True
            except Untrusted as untrusted:
                self.refused = str(untrusted)
                self.previous, self.earlier_fronts, self.earlier_fragments = {}, {}, {}
        if not self.valid:
            self.clear()
        folder.mkdir(parents=True, exist_ok=True)

    def _open(self) -> None:
        """Read the last build's records, once the seal and every digest vouch for them."""
        self._check_files(self._sealed_files())
        folder = self.folder
        try:
            self.previous = json.loads((folder / "pages.json").read_text(encoding="utf-8"))
            self.earlier_fronts = json.loads((folder / "fronts.json").read_text(encoding="utf-8"))
            fragments = json.loads((folder / "fragments.json").read_text(encoding="utf-8"))
            self.earlier_fragments = {_as_key(key): text for key, text in fragments}
        except (OSError, ValueError, TypeError) as error:
            raise Untrusted(f"its records cannot be read ({error})") from None
        names = [name for entry in self.previous.values() for name in entry["files"]]
        if not all(map(inside, names)):
            raise Untrusted("a page's file is named outside the output")

    def _sealed_files(self) -> dict[str, str]:
        """The files the manifest lists, with their digests, if this build's secret sealed it."""
        try:
            manifest = (self.folder / MANIFEST).read_bytes()
            sealed = (self.folder / SEAL).read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError) as error:
            raise Untrusted(f"its manifest cannot be read ({error})") from None
        if not hmac.compare_digest(sealed, hmac_of(self.secret, manifest)):
            raise Untrusted("its manifest is not sealed with this build's secret")
        listed = json.loads(manifest)
        if listed.get("key") != self.key or listed.get("format") != FORMAT:
            raise Untrusted("it was sealed for another site key")
        return listed["files"]

    def _check_files(self, files: dict[str, str]) -> None:
        """No link anywhere in the folder; its files but the pages are those listed, unchanged."""
        folder = self.folder
        for place, folders, names in os.walk(folder):
            if any(os.path.islink(os.path.join(place, name)) for name in folders + names):
                raise Untrusted(f"it holds a symbolic link in {place}")
        present = set(_listed(folder))
        if present != set(files):
            strays = sorted(present ^ set(files))
            raise Untrusted(f"it holds or lacks files its manifest does not list: {strays[:3]}")
        for name, digest in files.items():
            if file_digest(folder / name) != digest:
                raise Untrusted(f"{name} changed since it was sealed")

    def clear(self) -> None:
        """Forget what the key's folder holds, whoever put it there (links are not followed)."""
        shutil.rmtree(self.folder, ignore_errors=True)

    def restore(self, page: str, fingerprint: str, output: str) -> list[str] | None:
        """Put the files of `page` from the last build into `output`, if it showed the same.

        Returns the files (relative to `output`), or None when the page must be rendered:
        what it shows changed, or a kept file is not the one the last build left. Safe to
        call from several processes at once (archive/site/rendering.py); `kept` records it.
        """
        kept = self.previous.get(page)
        if kept is None or kept["fingerprint"] != fingerprint or not self._unchanged(kept):
            return None
        for name in kept["files"]:
            target = os.path.join(output, name)
            folder = os.path.dirname(target)
            if folder not in self.made:
                os.makedirs(folder, exist_ok=True)
                self.made.add(folder)
            _link_or_copy(os.path.join(self.pages, name), target)
        return list(kept["files"])

    def later_pages(self, page: str, later: str) -> dict[str, str] | None:
        """The kept files of a list `page` whose pages after the first showed the same.

        `later` is the fingerprint of those pages (dependencies.fingerprints). Returns the
        path of each kept file by its name (relative to the output), or None.
        """
        kept = self.previous.get(page)
        if kept is None or kept.get("later") != later or not self._unchanged(kept):
            return None
        return {name: os.path.join(self.pages, name) for name in kept["files"]}

    def _unchanged(self, kept: dict) -> bool:
        """Whether the kept files of a page have the bytes the last build sealed."""
        for name, digest in kept["files"].items():
            try:
                if file_digest(os.path.join(self.pages, name)) != digest:
                    return False
            except OSError:
                return False
        return True

    def kept(self, page: str, fingerprints: list, files: list[str], restored: bool) -> None:
        """Record the files `page` was put back (`restored`) or rendered as in this build.

        `fingerprints`: the whole page's, and that of its pages after the first, or None.
        """
        whole, later = fingerprints
        self.current[page] = {
            "fingerprint": whole,
            "later": later,
            "files": files,
            "restored": restored,
        }
        self.reused += restored

    def save(self, output: str) -> None:
        """Keep this build's pages and what each showed for the next build, and seal them.

        Pages restored from the cache are there already; only the others' files are linked
        in, and the files of pages this build did not write are removed.
        """
        (self.folder / SEAL).unlink(missing_ok=True)  # no seal: a half-saved cache is ignored
        record = {}
        for page, entry in self.current.items():
            kept = self.previous.get(page)
            if entry.get("restored") and kept is not None:
                record[page] = kept
                continue
            files = {}
            for name in entry["files"]:
                target = self.pages / name
                target.unlink(missing_ok=True)
                target.parent.mkdir(parents=True, exist_ok=True)
                _link_or_copy(Path(output, name), target)
                files[name] = file_digest(target)
            record[page] = {
                "fingerprint": entry["fingerprint"],
                "later": entry["later"],
                "files": files,
            }
        kept_files = {name for entry in record.values() for name in entry["files"]}
        for entry in self.previous.values():
            for name in entry["files"]:
                if name not in kept_files:
                    (self.pages / name).unlink(missing_ok=True)
        fragments = [[list(key), text] for key, text in self.fragments.items()]
        for name, value in zip(RECORDS, (record, self.fronts, fragments), strict=True):
            (self.folder / name).write_text(json.dumps(value), encoding="utf-8")
        seal_folder(self.folder, self.key, self.secret)
        self._forget_older_keys()

    def _forget_older_keys(self) -> None:
        """Keep the caches of the KEEP most recently saved keys, this one first."""
        others = [
            folder
            for folder in self.root.iterdir()
            if folder != self.folder and (folder / SEAL).is_file()
        ]
        others.sort(key=lambda folder: (folder / SEAL).stat().st_mtime_ns, reverse=True)
        for folder in others[KEEP - 1 :]:
            shutil.rmtree(folder, ignore_errors=True)


def seal_folder(folder: Path, key: str, secret: bytes) -> None:
    """List every file of a key's folder but its pages with its digest, and seal the list.

    The pages need no place in the list: each one's digest is in pages.json, which it lists.
    """
    files = {name: file_digest(folder / name) for name in sorted(_listed(folder))}
    manifest = json.dumps({"format": FORMAT, "key": key, "files": files}).encode()
    (folder / MANIFEST).write_bytes(manifest)
    (folder / SEAL).write_text(hmac_of(secret, manifest), encoding="ascii")


def _listed(folder: Path):
    """The files of a key's folder that its manifest lists, as relative posix paths.

    All but the pages (pages.json holds their digests), the manifest and its seal.
    """
    for place, folders, names in os.walk(folder):
        if place == str(folder) and PAGES in folders:
            folders.remove(PAGES)
        below = Path(place).relative_to(folder)
        for name in names:
            if (below / name).as_posix() not in (MANIFEST, SEAL):
                yield (below / name).as_posix()


def _as_key(parts) -> tuple:
    """A fragment's key as kept in JSON (lists) back as the tuple it was."""
    return tuple(_as_key(part) if isinstance(part, list) else part for part in parts)


def _link_or_copy(source, target) -> None:
    """A hard link where the disk allows one (no bytes copied), else a copy."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
