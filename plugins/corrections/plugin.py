"""Pelican plugin: the corrections log, the archive's public record of what it changed.

Readers and those who cite the archive must be able to see what changed after publication,
and why, in one place: each correction of a published document (its note), each name or
passage removed from one (its reason, never what was removed) and each document withdrawn
(its date, its reason, its title only if the editor left it shown, and its address, where
the notice stays). The entries are data (`Entry`); theme/templates/corrections.html words
them in the interface language. Withdrawn documents are listed by
plugins/documents (`context["withdrawn_documents"]`); their notices are Pelican's own pages
at their addresses (archive/site/articles.py::WITHDRAWN_TEMPLATE). The page also tells
readers how to ask for a correction: the site's CONTACT (pelicanconf.py), which a build
warns about while it is unset, rather than invent one.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from pelican import signals
from pelican.generators import Generator

from archive.site.plan import Shows, plan_page

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Entry:
    """One change of the log: when, which document, and what kind of change.

    `kind` is "correction" (its `note`), "removal" (a name or passage removed: `reason`, a
    key of archive/model/documents.py::REMOVAL_REASONS, and the note if any) or
    "withdrawal" (`reason`; the document's page is then its notice).
    """

    date: dt.date
    kind: str
    article: object
    note: str = ""
    reason: str = ""


def entries_of(published: list, withdrawn: list) -> list[Entry]:
    """The log's entries, newest first; a day's in the order of the documents' files."""
    entries = [
        Entry(
            correction.date,
            "removal" if correction.removed else "correction",
            article,
            correction.note,
            correction.removed,
        )
        for article in published
        for correction in article.document.corrections
    ]
    entries += [
        Entry(
            article.document.withdrawn.date,
            "withdrawal",
            article,
            "",
            article.document.withdrawn.reason,
        )
        for article in withdrawn
    ]
    return sorted(entries, key=lambda e: (-e.date.toordinal(), e.article.source_path, e.kind))


class CorrectionsGenerator(Generator):
    """Write the corrections log (CORRECTIONS_SAVE_AS) in every interface language."""

    def generate_output(self, writer):
        """Plan the log's page: it lists every corrected and every withdrawn document."""
        published = self.context["published_documents"]
        withdrawn = self.context["withdrawn_documents"]
        corrected = [article for article in published if article.document.corrections]
        plan_page(
            writer,
            # Each entry shows a document's front matter (its corrections, its withdrawal).
            Shows(lists=[corrected, withdrawn]),
            self.settings["CORRECTIONS_SAVE_AS"],
            self.get_template("corrections"),
            self.context,
            self.settings["RELATIVE_URLS"],
            corrections=entries_of(corrected, withdrawn),
            nav_current="corrections",
        )


def add_generator(pelican):
    """Our generator runs after the articles are read."""
    return CorrectionsGenerator


def configure(pelican):
    """Default address of the corrections log; a warning while readers have no contact."""
    pelican.settings.setdefault("CORRECTIONS_URL", "corrections.html")
    pelican.settings.setdefault("CORRECTIONS_SAVE_AS", "corrections.html")
    if not pelican.settings.setdefault("CONTACT", ""):
        logger.warning(
            "CONTACT is not set (pelicanconf.py): the corrections log and the accessibility "
            "statement tell readers that no contact is given. Set it to the editors' email "
            "or web address"
        )


def register():
    """Connect to Pelican: settings, then our generator."""
    signals.initialized.connect(configure)
    signals.get_generators.connect(add_generator)
