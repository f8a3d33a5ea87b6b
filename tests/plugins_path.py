"""Import the project's Pelican plugins in tests, as Pelican does, from plugins/."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "plugins"))

from search import offline  # noqa: E402

__all__ = ["offline"]
