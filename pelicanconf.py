"""Pelican settings for building the archive locally and offline (`make site`).

Every URL is relative and names a file (never a folder), so the output works when opened
from disk, e.g. from a USB stick. publishconf.py adds what only the deployed site needs.
"""

from archive.model.documents import newest_first

SITENAME = "Documentary Archive"
SITESUBTITLE = "Press reports, statements and testimonies on armed conflicts, with their sources"
SITEURL = ""
RELATIVE_URLS = True
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
DEFAULT_DATE_FORMAT = "%-d %B %Y"

PATH = "content"
ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages"]
# Captures: the raw pages documents were imported from, copied as they are (plain text, never
# rendered as pages) so a document page links to its evidence, also offline.
STATIC_PATHS = ["captures"]
THEME = "theme"
# Themes fall back to Pelican's "simple" templates; ours covers every template we render.
OUTPUT_PATH = "output"

# The plugins are the project's package plugins/ (one concern each), imported by name. The
# pages they plan are rendered by the build engine (archive/site/rendering.py), after them all.
PLUGINS = [
    "plugins.languages",
    "plugins.documents",
    "plugins.taxonomies",
    "plugins.provenance",
    "plugins.search",
    "plugins.fragments",
    "plugins.related",
    "plugins.timelines",
    "plugins.open_data",
    "plugins.maps",
    "plugins.feeds",
    "plugins.content_warnings",
    "plugins.corrections",
    "plugins.list_orders",
    "plugins.accessibility",
    "plugins.moves",
    "plugins.build_cache",
]
# unknown_terms: "error" stops the build on an actor or location missing from the registries;
# "warn" logs it and shows the name unlinked.
DOCUMENTS = {"default_rights": "fair-use-us", "unknown_terms": "error"}
TAXONOMIES = {"per_page": 100, "related": 12}
# Related documents on a document's page (plugins/related): how many, how much a place's
# parent counts, and how fast closeness in date fades (days).
RELATED = {"count": 5, "parent_weight": 0.5, "days_scale": 30}
# How readers reach the archive's editors, to ask for a correction or report an accessibility
# problem (the corrections log and the accessibility statement show it): an email address or
# a web address (a form, an issue tracker). PLACEHOLDER: none is set yet; every build warns
# until it is, and the pages say that no contact is given.
CONTACT = ""
# The other orders of collection and year lists, oldest first and by title (plugins/list_orders):
# documents per page (fewer, longer pages than the newest-first lists: they add fewer pages).
LIST_ORDERS = {"per_page": 100}
# Documents per year on the archive, collection, actor and location pages (plugins/timelines);
# per month when the first and last are fewer than `months_up_to` months apart.
TIMELINES = {"months_up_to": 24}
# Maps of places over Natural Earth's outlines, drawn at build time (plugins/maps): the margin
# around the places and their country (a share of their extent).
MAPS = {"margin": 0.15}
# site_url: the archive's public address, used in citations and citation metadata, so that a
# reader of an offline copy still cites the public page. Local builds have none (citations
# then name the archive without an address); publishconf.py sets it.
PROVENANCE = {"site_url": "", "site_rights": "fair-use-us"}
# The licence of the open data (plugins/open_data): the archive's metadata (titles, dates,
# sources, chains of custody, registries), not the documents' texts, which keep their own
# rights notices. Facts about documents are dedicated to the public domain, as libraries and
# archives do with catalogue data; an archive that decides otherwise changes it here.
OPEN_DATA = {
    "license": {
        "name": "CC0-1.0",
        "path": "https://creativecommons.org/publicdomain/zero/1.0/",
        "title": "CC0 1.0 Universal (the metadata only; each text keeps its rights notice)",
    }
}

# The interface languages (plugins/languages): every page exists in each, the first at the
# root of the site, the others in a folder named by their code (es/, fr/). SITESUBTITLE is
# the first language's; `subtitles` gives the others'.
LANGUAGES = {
    "interface": ["en", "es", "fr"],
    "subtitles": {
        "es": "Informes de prensa, declaraciones y testimonios sobre conflictos armados, "
        "con sus fuentes",
        "fr": "Dépêches, déclarations et témoignages sur les conflits armés, avec leurs sources",
    },
}

# Autoescape everything: titles and metadata are editors' text, never trusted HTML.
# auto_reload off: a build loads each template once; checking its file's date before every
# include cost a stat call per partial per page (a live site rebuilds for a theme change).
JINJA_ENVIRONMENT = {
    "autoescape": True,
    "trim_blocks": True,
    "lstrip_blocks": True,
    "auto_reload": False,
}

# Slugs come from file names, which are stable, not from titles, which editors correct.
SLUGIFY_SOURCE = "basename"
# Pelican pairs same-slug articles as translations and hides one; documents are never merged.
ARTICLE_TRANSLATION_ID = None
PAGE_TRANSLATION_ID = None
# Newest first, and documents of one date in the order of their paths: the same lists from
# every build of the same sources.
ARTICLE_ORDER_BY = newest_first

# Document URLs use the collection key (stable) and the document's year (keeps folders small
# enough for FAT32 USB sticks).
ARTICLE_URL = ARTICLE_SAVE_AS = "documents/{collection}/{date:%Y}/{slug}.html"
ARTICLE_LANG_URL = ARTICLE_LANG_SAVE_AS = ARTICLE_URL
DRAFT_URL = DRAFT_SAVE_AS = "drafts/{slug}.html"
DRAFT_LANG_URL = DRAFT_LANG_SAVE_AS = DRAFT_URL
PAGE_URL = PAGE_SAVE_AS = "{slug}.html"
PAGE_LANG_URL = PAGE_LANG_SAVE_AS = PAGE_URL

INDEX_URL = INDEX_SAVE_AS = "index.html"
CATEGORY_URL = CATEGORY_SAVE_AS = "collections/{slug}.html"
CATEGORIES_URL = CATEGORIES_SAVE_AS = "collections/index.html"
ARCHIVES_URL = ARCHIVES_SAVE_AS = "archive/index.html"
YEAR_ARCHIVE_URL = YEAR_ARCHIVE_SAVE_AS = "archive/{date:%Y}.html"
MONTH_ARCHIVE_SAVE_AS = DAY_ARCHIVE_SAVE_AS = ""
# Actors and locations have their own registries and pages; tags and authors are unused.
TAG_SAVE_AS = TAGS_SAVE_AS = AUTHOR_SAVE_AS = AUTHORS_SAVE_AS = ""
DIRECT_TEMPLATES = ["index", "categories", "archives", "404"]
# Offline, 404.html sits beside index.html and links relatively; publishconf.py makes its links
# root-absolute, because a host serves it at any missing address.
NOT_FOUND_SITE_ROOT = None
ACTOR_URL = ACTOR_SAVE_AS = "actors/{slug}.html"
ACTORS_URL = ACTORS_SAVE_AS = "actors/index.html"
LOCATION_URL = LOCATION_SAVE_AS = "locations/{slug}.html"
LOCATIONS_URL = LOCATIONS_SAVE_AS = "locations/index.html"

DEFAULT_PAGINATION = 20
PAGINATED_TEMPLATES = {"index": None, "category": None, "period_archives": None}
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{name}-{number}.html", "{name}-{number}.html"),
)

# Feeds need absolute URLs, which an offline copy cannot have: publishconf.py turns them on.
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
# The archive's Atom feeds, in every interface language (plugins/feeds): none offline.
FEEDS = {"all": "", "collection": "", "actor": "", "location": ""}
# What feeds show of a document behind a content warning instead of its text: the default of
# plugins/content_warnings; CONTENT_WARNINGS = {...} rewords it. (Search words it from the
# theme's catalogs, in the reader's language.)

# Never take dates from file mtimes: git does not keep them, so builds would differ.
DEFAULT_DATE = None
DELETE_OUTPUT_DIRECTORY = True
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
# A build that reuses the pages and readings of the last one (plugins/build_cache): off for
# local builds, which the live site (`archive serve`) keeps up to date; publishconf.py sets
# the folder Netlify keeps between deploys.
BUILD_CACHE = {"folder": ""}
