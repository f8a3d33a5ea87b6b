"""The archive's Pelican plugins: one package per concern, loaded by name from PLUGINS.

They are a package of the project (installed with it, see pyproject.toml), so Pelican, the
tests and the tools import each one under one name (`plugins.search`) and never load a
second copy of it from another path.
"""
