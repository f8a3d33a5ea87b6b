"""Pelican plugin: the theme speaks the interface languages of LANGUAGES["interface"].

Each generator's template environment gets Jinja2's i18n extension (gettext, ngettext and
`{% trans %}` in templates), the filters of archive/site/interface.py (`format_date`,
`format_number`, `language_name`, `text_direction`) and its functions (`lang_attributes`),
and speaks the first interface language until a page of another language is rendered.
Which pages exist in which language, and where they are written, is the writer's business
(archive/site/rendering.py): a page is planned once and rendered once per interface language.
"""

from __future__ import annotations

from pelican import signals

from archive.site.interface import FILTERS, GLOBALS, interface_languages, use_language


def speak_first_language(generator):
    """Give the generator's templates gettext and Babel, in the first interface language."""
    env = getattr(generator, "env", None)
    if env is None:
        return
    env.add_extension("jinja2.ext.i18n")
    env.filters.update(FILTERS)
    env.globals.update(GLOBALS)
    use_language(env, generator.settings, interface_languages(generator.settings)[0])


def register():
    """Connect to Pelican: as each generator is made."""
    signals.generator_init.connect(speak_first_language)
