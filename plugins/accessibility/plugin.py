"""Pelican plugin: the accessibility statement, a page of the site's own in every language.

Readers who meet a barrier need to know what the site promises (WCAG 2.2 at level AA), what
is checked and how (the test suite: axe on every kind of page, reflow at 320 CSS pixels,
keyboard use, every page without scripts), what is known not to work, and whom to tell.
Its words are the theme's (theme/templates/accessibility.html), so the catalogs translate
it with the rest of the interface; what it says of the tests is kept true by the tests it
names (tests/test_quality.py, tests/test_browser.py). The contact is the site's CONTACT
setting, shared with the corrections log (plugins/corrections), which warns when unset.
"""

from __future__ import annotations

from pelican import signals
from pelican.generators import Generator

from archive.site.plan import NOTHING, plan_page


class AccessibilityGenerator(Generator):
    """Write the accessibility statement (ACCESSIBILITY_SAVE_AS) in every interface language."""

    def generate_output(self, writer):
        """Plan the statement's page: it shows nothing of the documents."""
        plan_page(
            writer,
            NOTHING,
            self.settings["ACCESSIBILITY_SAVE_AS"],
            self.get_template("accessibility"),
            self.context,
            self.settings["RELATIVE_URLS"],
        )


def add_generator(pelican):
    """Our generator writes one page of the site's own."""
    return AccessibilityGenerator


def configure(pelican):
    """Default address of the statement."""
    pelican.settings.setdefault("ACCESSIBILITY_URL", "accessibility.html")
    pelican.settings.setdefault("ACCESSIBILITY_SAVE_AS", "accessibility.html")


def register():
    """Connect to Pelican: settings, then our generator."""
    signals.initialized.connect(configure)
    signals.get_generators.connect(add_generator)
