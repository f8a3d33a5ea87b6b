"""This plugin's settings (`DOCUMENTS = {...}`), shared by its reader, workers and checks."""

from __future__ import annotations

from archive.sourcefile import MAX_BYTES

DEFAULTS = {
    # Rights notice for documents whose front matter names none (a key of registry/rights.yml).
    "default_rights": "fair-use-us",
    # An actor or location missing from the registries: "error" stops the build, "warn" logs
    # it and keeps the name, unlinked.
    "unknown_terms": "error",
    # Largest document file accepted, in bytes.
    "max_bytes": MAX_BYTES,
    # Processes that read documents (0: one per core), from how many documents on.
    "workers": 0,
    "parallel_from": 200,
}


def settings_of(settings: dict) -> dict:
    """This plugin's settings (`DOCUMENTS = {...}`) over its defaults."""
    merged = dict(DEFAULTS)
    merged.update(settings.get("DOCUMENTS", {}))
    return merged
