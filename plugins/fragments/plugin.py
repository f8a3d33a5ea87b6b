"""Pelican plugin: `{% cache key %}…{% endcache %}` in templates, for fragments that repeat.

An archive lists each document on many pages: its collection, its year, the home page, and
the page of every actor and place it names (with the places around them), a dozen lists
for a typical document. Rendering the same list entry again each time was the largest
part of rendering the site. A `cache` block renders its body the first time its key is
seen and gives the same text back afterwards, for the rest of the build; the key must
name everything the body shows (for a list entry: the document and SITEURL, the relative
path to the site's root, which differs with the depth of the page).

The generators of a build each have a template environment of their own, made from the
same theme and settings; they share one cache, so the entry a collection page rendered
serves the actor and place pages too. A new build starts a new cache. With
`FRAGMENTS = {"cache": False}` every block is rendered every time: the output must be the
same (tested), which is how to check a key that misses something.

A build cache (plugins/build_cache) can keep fragments between builds: it sets `KEPT` in the
settings to a store, which is asked for a fragment not yet rendered in this build and told
every fragment rendered. So name a document in a key by the document itself, not by its
address: the store keeps a fragment by what the document shows (its digest), which an
edit changes and its address does not.
"""

from __future__ import annotations

from jinja2 import nodes
from jinja2.ext import Extension
from markupsafe import Markup
from pelican import signals

DEFAULTS = {"cache": True}
#: The setting that holds the store of fragments kept between builds, if any: an object with
#: `get(key)` (the text an earlier build rendered under `key`, or None) and `put(key, text)`.
KEPT = "FRAGMENTS_KEPT"


class FragmentCache(Extension):
    """The `cache` tag: `{% cache "name", thing.url, SITEURL %}…{% endcache %}`."""

    tags = {"cache"}

    def __init__(self, environment):
        super().__init__(environment)
        environment.extend(
            fragments=_build["fragments"], fragments_enabled=True, fragments_settings={}
        )

    def parse(self, parser):
        """Parse the key (a tuple of expressions) and the body up to `endcache`."""
        lineno = next(parser.stream).lineno
        key = parser.parse_tuple()
        body = parser.parse_statements(("name:endcache",), drop_needle=True)
        return nodes.CallBlock(self.call_method("_render", [key]), [], [], body).set_lineno(lineno)

    def _render(self, key, caller):
        if not self.environment.fragments_enabled:
            return caller()
        fragments = self.environment.fragments
        text = fragments.get(key)
        if text is None:
            kept = self.environment.fragments_settings.get(KEPT)
            text = None if kept is None else kept.get(key)
            if text is None:
                text = caller()
                if kept is not None:
                    kept.put(key, text)
            fragments[key] = text = Markup(text)
        return text


#: The fragments of the build under way, shared by its generators' environments.
_build: dict = {"fragments": {}}


def start_cache(pelican):
    """A build starts: its environments will share a new, empty cache."""
    _build["fragments"] = {}


def add_cache_tag(generator):
    """Every generator has its own template environment: give each the tag."""
    env = getattr(generator, "env", None)
    if env is not None:
        env.add_extension(FragmentCache)
        env.fragments_settings = generator.settings  # the build's own: KEPT is set later
        env.fragments_enabled = {**DEFAULTS, **generator.settings.get("FRAGMENTS", {})}["cache"]


def register():
    """Connect to Pelican: as a build starts and as each generator is made."""
    signals.initialized.connect(start_cache)
    signals.generator_init.connect(add_cache_tag)
