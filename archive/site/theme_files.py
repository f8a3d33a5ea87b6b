"""The theme's files, published under names that change exactly when their content changes.

Readers' browsers keep the theme's stylesheets, scripts and icon for a year without asking
again (netlify.toml: `immutable`), so a file must never change under a name a browser may
have kept: a theme change would reach returning readers only a year later, or half of it
(new pages with old scripts). So each file is published under its name in the theme with the
start of its content's SHA-256 before the extension, `css/main.css` as
`theme/css/main.3f9a1c2b.css`: a new version is a new address, an unchanged file keeps its
address (and readers their copy) from one deploy to the next.

`ThemeFiles` is the one place that decides those names. Templates ask for a file by its
name in the theme, `{{ SHARED_URL }}/{{ theme_file("css/main.css") }}`, and a name the
theme does not have stops the build rather than publish a broken link. No script loads
another theme file by a name of its own making: the page that needs several names them all.

The engine copies the files itself (archive/site/rendering.py::RenderPages, with the pages
that name them), from the folders THEME_STATIC_PATHS declares; Pelican's own copy of them,
under their plain names, is turned off, so no file under a name that does not change is
left in the site for a browser to keep.

Builds stay byte-identical (the names depend on the bytes alone), and the build cache
needs nothing more: its site key already digests every file of the theme
(plugins/build_cache/store.py::site_key), so a page kept from a build with other theme
files is never restored.
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
import posixpath
import shutil
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from jinja2 import pass_context

from archive.model.problems import fail

#: Hex digits of a file's SHA-256 in its public name: 32 bits, so that two versions of one
#: file share a name once in four billion changes.
HASH_LENGTH = 8


@dataclass(frozen=True)
class ThemeFiles:
    """The theme's public files: each one's source, and its address under the site's root."""

    sources: dict[str, Path]  # name in the theme ("css/main.css") -> the file
    public: dict[str, str]  # name in the theme -> address ("theme/css/main.3f9a1c2b.css")

    @classmethod
    def of(cls, settings: dict) -> ThemeFiles:
        """The files of the theme's THEME_STATIC_PATHS, published under THEME_STATIC_DIR.

        As Pelican copies them: a later folder's file wins, IGNORE_FILES's matches are left.
        """
        sources: dict[str, Path] = {}
        ignored = settings.get("IGNORE_FILES", [])
        for folder in settings["THEME_STATIC_PATHS"]:
            base = Path(settings["THEME"], folder)
            for root, folders, files in os.walk(base, followlinks=True):
                folders[:] = sorted(f for f in folders if not _matches(f, ignored))
                for name in sorted(f for f in files if not _matches(f, ignored)):
                    path = Path(root, name)
                    sources[path.relative_to(base).as_posix()] = path
        public = {
            name: posixpath.join(settings["THEME_STATIC_DIR"], hashed_name(name, path.read_bytes()))
            for name, path in sorted(sources.items())
        }
        return cls(sources=dict(sorted(sources.items())), public=public)

    @pass_context
    def address(self, context, name: str) -> str:
        """The Jinja global `theme_file`: where the theme file `name` is, from the site's root."""
        if name not in self.public:
            fail(
                f"templates/{context.name}",
                None,
                f"a template asks for the theme file {name!r}, which the theme does not have",
                f"name a file of the theme's static folder: {', '.join(self.public)}",
            )
        return self.public[name]

    def write(self, output_path: str) -> None:
        """Copy every file to its public address under `output_path`."""
        for name, source in self.sources.items():
            target = Path(output_path, self.public[name])
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)


def hashed_name(name: str, content: bytes) -> str:
    """`name` with the start of `content`'s SHA-256 before its extension."""
    path = PurePosixPath(name)
    digest = hashlib.sha256(content).hexdigest()[:HASH_LENGTH]
    return path.with_name(f"{path.stem}.{digest}{path.suffix}").as_posix()


def declare(settings: dict) -> dict:
    """The settings of a build that publishes the theme's files under their hashed names.

    THEME_FILES holds them (RenderPages writes them), templates get `theme_file`, and
    Pelican copies none of them under its plain names (THEME_STATIC_PATHS emptied).
    """
    files = ThemeFiles.of(settings)
    return {
        **settings,
        "THEME_FILES": files,
        "THEME_STATIC_PATHS": [],
        "JINJA_GLOBALS": {**settings.get("JINJA_GLOBALS", {}), "theme_file": files.address},
    }


def _matches(name: str, patterns) -> bool:
    """Whether a file or folder name matches one of IGNORE_FILES's glob patterns."""
    return any(fnmatch.fnmatch(name, pattern) for pattern in patterns)
