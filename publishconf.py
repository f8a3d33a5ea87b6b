"""Settings for the deployed site: pelicanconf plus an absolute origin for feeds and canonicals.

Pages keep relative links (RELATIVE_URLS stays on), so a downloaded copy of the deployed site
still works offline; only feeds and <link rel=canonical> use the absolute SITEURL.
"""

import os
import sys
from urllib.parse import urlsplit

sys.path.append(os.path.dirname(__file__))

from pelicanconf import *  # noqa: E402,F403
from pelicanconf import PROVENANCE  # noqa: E402

# Netlify sets URL to the site's main address (DEPLOY_PRIME_URL for previews).
SITEURL = os.environ.get("DEPLOY_PRIME_URL") or os.environ.get("URL", "")
# Netlify serves 404.html at any missing path, however deep: its links start from the root.
NOT_FOUND_SITE_ROOT = urlsplit(SITEURL).path.rstrip("/")
# Citations and canonical links name the production address, also on deploy previews:
# ARCHIVE_SITE_URL, else Netlify's URL (the site's main address). A build without a real
# address stops with a message instead of publishing citations to a placeholder domain.
PROVENANCE = {
    **PROVENANCE,
    "site_url": os.environ.get("ARCHIVE_SITE_URL") or os.environ.get("URL", ""),
    "require_site_url": True,
}
CANONICAL_SITEURL = PROVENANCE["site_url"].rstrip("/")
FEED_DOMAIN = SITEURL
# The archive's feeds (plugins/feeds): all documents, and one per collection, actor and
# location, each linked from its page, in every interface language's folder.
FEEDS = {
    "all": "feeds/all.atom.xml" if SITEURL else "",
    "collection": "feeds/{slug}.atom.xml" if SITEURL else "",
    "actor": "feeds/actors/{slug}.atom.xml" if SITEURL else "",
    "location": "feeds/locations/{slug}.atom.xml" if SITEURL else "",
}
# Deploys reuse the pages and readings of the last deploy (plugins/build_cache), kept in this
# folder, which netlify.toml has Netlify keep between deploys.
BUILD_CACHE = {"folder": ".cache/archive"}
