"""Settings for the deployed site: pelicanconf plus an absolute origin for feeds and canonicals.

Pages keep relative links (RELATIVE_URLS stays on), so a downloaded copy of the deployed site
still works offline; only feeds and <link rel=canonical> use the absolute SITEURL.
"""

import os
import sys

sys.path.append(os.path.dirname(__file__))

from pelicanconf import *  # noqa: E402,F403
from pelicanconf import PROVENANCE  # noqa: E402

# Netlify sets URL to the site's main address (DEPLOY_PRIME_URL for previews).
SITEURL = os.environ.get("DEPLOY_PRIME_URL") or os.environ.get("URL", "")
# Canonical links name the production address, also on deploy previews.
CANONICAL_SITEURL = PROVENANCE["site_url"]
FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feeds/all.atom.xml" if SITEURL else None
CATEGORY_FEED_ATOM = "feeds/{slug}.atom.xml" if SITEURL else None
