"""This plugin's settings (`DOCUMENTS = {...}`), shared by its reader, workers and checks."""

from __future__ import annotations

from archive.model.documents import DOCUMENT_SETTINGS

DEFAULTS = {
    # default_rights, unknown_terms, max_bytes: what the document model reads.
    **DOCUMENT_SETTINGS,
    # Processes that read documents (0: one per core), from how many documents on.
    "workers": 0,
    "parallel_from": 200,
}


def settings_of(settings: dict) -> dict:
    """This plugin's settings (`DOCUMENTS = {...}`) over its defaults."""
    merged = dict(DEFAULTS)
    merged.update(settings.get("DOCUMENTS", {}))
    return merged
