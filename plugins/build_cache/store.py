"""The cache folder: the last build's pages, what each showed, and the key they were built under.

    <folder>/<key>/key          the site key of the build that wrote the rest
    <folder>/<key>/pages.json   every page of that build: its fingerprints, files and their stat
    <folder>/<key>/pages/       those files, hard links to the published ones if the disk allows
    <folder>/<key>/fronts.json  the digest of each source file's front matter, by the file's own
    <folder>/<key>/fragments.pickle  the list entries of that build, by what they show
    <folder>/<key>/readers/     Pelican's own cache of what its readers made of each source file

The key digests everything a page depends on besides the documents: the code of the build
(our packages and plugins, the installed versions of the libraries that render), the theme,
the settings, and the content that is not a document (registries, pages). A build uses the
cache of its own key only; the caches of the two most recent keys are kept.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
import sys
from importlib import metadata
from pathlib import Path

import archive

#: Bumped when the layout of the cache folder or the fingerprints change.
FORMAT = 3
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
    folders = [Path(archive.__file__).parent, Path(settings["THEME"])]
    folders += [Path(path) for path in settings.get("PLUGIN_PATHS", [])]
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


class CacheFolder:
    """The cache folder of one build: what the last build left, and what this one leaves."""

    def __init__(self, root: Path, key: str):
        # One folder per key: deploy previews (whose settings name another address) and
        # production deploys share Netlify's cache without emptying each other's.
        folder = root / key[:KEY_LENGTH]
        self.root, self.folder, self.key = root, folder, key
        self.readers = folder / "readers"
        self.pages = folder / "pages"
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
        stored = folder / "key"
        self.valid = stored.is_file() and stored.read_text(encoding="utf-8") == key
        if self.valid:
            try:
                self.previous = json.loads((folder / "pages.json").read_text(encoding="utf-8"))
                self.earlier_fronts = json.loads(
                    (folder / "fronts.json").read_text(encoding="utf-8")
                )
                with open(folder / "fragments.pickle", "rb") as handle:
                    self.earlier_fragments = pickle.load(handle)
            except (OSError, ValueError, pickle.UnpicklingError, EOFError):
                self.previous, self.earlier_fronts, self.earlier_fragments = {}, {}, {}
        else:
            self.clear()
        folder.mkdir(parents=True, exist_ok=True)

    def clear(self) -> None:
        """Forget what the folder holds (only what this plugin puts there)."""
        for name in ("key", "pages.json", "fronts.json", "fragments.pickle"):
            (self.folder / name).unlink(missing_ok=True)
        for folder in (self.pages, self.readers):
            shutil.rmtree(folder, ignore_errors=True)

    def restore(self, page: str, fingerprint: str, output: str) -> list[str] | None:
        """Put the files of `page` from the last build into `output`, if it showed the same.

        Returns the files (relative to `output`), or None when the page must be rendered:
        what it shows changed, or a kept file is not the one the last build left. Safe to
        call from several processes at once (plugins/parallel_render); `kept` records it.
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
        """Whether the kept files of a page are the ones the last build left."""
        for name, stat in kept["files"].items():
            try:
                found = os.stat(os.path.join(self.pages, name))
            except OSError:
                return False
            if [found.st_size, found.st_mtime_ns] != stat:
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
        """Keep this build's pages and what each showed, for the next build.

        Pages restored from the cache are there already; only the others' files are linked
        in, and the files of pages this build did not write are removed.
        """
        (self.folder / "key").unlink(missing_ok=True)  # no key: a half-saved cache is ignored
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
                found = os.stat(target)
                files[name] = [found.st_size, found.st_mtime_ns]
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
        (self.folder / "pages.json").write_text(json.dumps(record), encoding="utf-8")
        (self.folder / "fronts.json").write_text(json.dumps(self.fronts), encoding="utf-8")
        with open(self.folder / "fragments.pickle", "wb") as handle:
            pickle.dump(self.fragments, handle, protocol=pickle.HIGHEST_PROTOCOL)
        (self.folder / "key").write_text(self.key, encoding="utf-8")
        self._forget_older_keys()

    def _forget_older_keys(self) -> None:
        """Keep the caches of the KEEP most recently saved keys, this one first."""
        others = [
            folder
            for folder in self.root.iterdir()
            if folder != self.folder and (folder / "key").is_file()
        ]
        others.sort(key=lambda folder: (folder / "key").stat().st_mtime_ns, reverse=True)
        for folder in others[KEEP - 1 :]:
            shutil.rmtree(folder, ignore_errors=True)


def _link_or_copy(source, target) -> None:
    """A hard link where the disk allows one (no bytes copied), else a copy."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
