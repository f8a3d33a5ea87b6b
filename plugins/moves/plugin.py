"""Pelican plugin: a renamed document's old addresses keep leading to it.

`archive rename` records each address a document had (its page's and its capture's) under
`moved:` in its front matter (archive/model/documents.py::Move). Citations, bookmarks and
other archives' links use those addresses, so the site answers them in two ways:

- on Netlify, `_redirects` at the site's root: a **forced** 301 from the old page address in
  every interface language, and from the old capture address, to the new one. Forced,
  because a file at the old address (below) would otherwise win over the rule;
- from disk (the archive on a USB stick), a small page at each old page address saying
  where the document is now, which a browser follows by itself, and a short text file at
  an old text capture's address naming its new file. An old PDF capture's address has no
  such file: a PDF cannot say it moved, and the redirect serves it online.
"""

from __future__ import annotations

import os
import posixpath
from urllib.parse import urlsplit

from pelican import signals
from pelican.generators import Generator

from archive.site.interface import interface_languages, translations
from archive.site.plan import Shows, plan_page

#: Netlify's file of redirect rules, at the root of the published folder.
REDIRECTS_FILE = "_redirects"


def moves_of(articles: list) -> list[tuple[object, object]]:
    """(document's article, move) for every former address that is not its address again."""
    return [
        (article, move)
        for article in articles
        for move in article.document.moved
        if move.address != article.save_as
    ]


def redirect_rules(moves: list, settings: dict) -> list[str]:
    """The `_redirects` lines: each former address, in every language, to the current one.

    Paths start at the site's root path (SITEURL's, "" on Netlify's own domain); captures
    have no language folder.
    """
    root = urlsplit(settings.get("SITEURL", "")).path.rstrip("/")
    rules = []
    for article, move in moves:
        for language in interface_languages(settings):
            folder = f"/{language.folder}" if language.folder else ""
            rules.append(f"{root}{folder}/{move.address} {root}{folder}/{article.save_as} 301!")
        capture = article.document.capture
        if move.capture and capture and capture.file != move.capture:
            rules.append(f"{root}/{move.capture} {root}/{capture.file} 301!")
    return sorted(dict.fromkeys(rules))


def capture_notice(settings: dict, new_file: str) -> str:
    """The text left at a text capture's old address, in every interface language."""
    lines = []
    for language in interface_languages(settings):
        catalog = translations(settings, language.code)
        lines.append(
            catalog.gettext("This capture has moved to %(file)s, in the same folder.")
            % {"file": new_file}
        )
    return "\n".join(lines) + "\n"


class MovesGenerator(Generator):
    """Plan a page at each former address, and write the redirect rules and capture notices."""

    def generate_output(self, writer):
        """The pages at old addresses show the title and address of the document they lead to."""
        articles = self.context["published_documents"] + self.context["withdrawn_documents"]
        moves = moves_of(articles)
        for article, move in moves:
            plan_page(
                writer,
                Shows(lists=[[article]]),
                move.address,
                self.get_template("moved"),
                self.context,
                self.settings["RELATIVE_URLS"],
                moved_to=article,
            )
        writer.run_while_rendering(lambda: self._write_files(moves))

    def _write_files(self, moves: list) -> None:
        rules = redirect_rules(moves, self.settings)
        if rules:
            self._write(REDIRECTS_FILE, "\n".join(rules) + "\n")
        for article, move in moves:
            capture = article.document.capture
            if move.capture.endswith(".txt") and capture and capture.file != move.capture:
                new_file = posixpath.basename(capture.file)
                self._write(move.capture, capture_notice(self.settings, new_file))

    def _write(self, name: str, text: str) -> None:
        path = os.path.join(self.output_path, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)


def add_generator(pelican):
    """Our generator runs after the documents are read."""
    return MovesGenerator


def register():
    """Connect to Pelican: our generator."""
    signals.get_generators.connect(add_generator)
