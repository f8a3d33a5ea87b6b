"""The build engine: the page plan, and how Pelican is run to carry it out."""
