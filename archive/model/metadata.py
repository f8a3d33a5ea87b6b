"""Machine-readable metadata of archived documents: Highwire, Dublin Core and schema.org.

Reference managers (Zotero), libraries and search engines read these; each tells the chain of
custody as far as its vocabulary can: the original, the intermediary, the capture and this
archive. Everything here is plain data (text, dicts); the theme decides how it is written.
"""

from __future__ import annotations

from archive.model.citations import CopyInArchive, custody_description
from archive.model.documents import Document


def meta_tags(document: Document, copy: CopyInArchive) -> list[tuple[str, str]]:
    """Highwire Press (read by Zotero, Google Scholar) and Dublin Core <meta> name/content pairs.

    They describe the archive's copy: its title and the original's authors and date, this
    archive as its publisher online (`citation_online_date`, `DC.date.available`), and the
    whole chain of custody in `DC.source`.
    """
    source = document.source
    date = document.date
    subjects = [term.name for term in (*document.actors, *document.locations)]
    tags = [("citation_title", document.title)]
    tags += [("citation_author", author) for author in source.authors]
    tags.append(("citation_publication_date", date.strftime("%Y/%m/%d")))
    if document.published:
        tags.append(("citation_online_date", document.published.strftime("%Y/%m/%d")))
    tags += [
        ("citation_publisher", source.publisher),
        ("citation_language", document.language),
    ]
    if copy.url:
        tags.append(("citation_public_url", copy.url))
    if subjects:
        tags.append(("citation_keywords", "; ".join(subjects)))
    tags += [
        ("DC.title", document.title),
        *[("DC.creator", author) for author in (source.authors or (source.publisher,))],
        ("DC.publisher", copy.site_name),
        ("DC.date", date.isoformat()),
        *([("DC.date.available", document.published.isoformat())] if document.published else []),
        ("DC.source", custody_description(document)),
        ("DC.rights", document.rights.text),
        ("DC.language", document.language),
        *([("DC.identifier", copy.url)] if copy.url else []),
        ("DC.type", "Text"),
    ]
    if subjects:
        tags.append(("DC.subject", "; ".join(subjects)))
    return tags


def _organisation(name: str, entry) -> dict:
    """A publisher as schema.org has it: the name as printed, linked to its registry entry."""
    organisation = {"@type": "Organization", "name": name}
    if entry is not None and entry.homepage:
        organisation["url"] = entry.homepage
    if entry is not None and entry.wikidata:
        organisation["sameAs"] = entry.wikidata_url
    return organisation


def json_ld(document: Document, copy: CopyInArchive, site_url: str) -> dict:
    """schema.org description of the archive copy and the chain it is based on.

    `isBasedOn` is the intermediary's copy, itself based on the original (or the original
    when no intermediary is recorded); the original's `archivedAt` is the capture this archive
    keeps, with when it was captured where that is known.
    """
    source = document.source
    about = [_thing(term) for term in (*document.actors, *document.locations)]
    original = _original(document, copy)
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": document.title,
        "inLanguage": document.language,
        "isBasedOn": _intermediary(document, original) if document.via else original,
        "sourceOrganization": _organisation(source.publisher, source.registered),
        "publisher": {"@type": "Organization", "name": copy.site_name},
        "isPartOf": {"@type": "Collection", "name": document.collection.name},
        "copyrightNotice": document.rights.text,
        "usageInfo": document.rights.url or document.rights.label,
    }
    if document.published:
        data["datePublished"] = document.published.isoformat()
    if copy.url:
        data["url"] = copy.url
        data["publisher"]["url"] = site_url
    if document.updated:
        data["dateModified"] = document.updated.isoformat()
    if document.rights.url:
        data["license"] = document.rights.url
    if about:
        data["about"] = about
    return data


def _original(document: Document, copy: CopyInArchive) -> dict:
    """The original report, with the capture this archive keeps of the page it came through."""
    source = document.source
    original = {
        "@type": "NewsArticle",
        "headline": source.title or document.title,
        "publisher": _organisation(source.publisher, source.registered),
    }
    if source.date:
        original["datePublished"] = source.date.isoformat()
    if source.place:
        original["locationCreated"] = {"@type": "Place", "name": source.place}
    if source.url:
        original["url"] = source.url
    if source.authors:
        original["author"] = [{"@type": "Person", "name": name} for name in source.authors]
    capture = _capture(document, copy)
    if capture:
        original["archivedAt"] = capture
    return original


def _intermediary(document: Document, original: dict) -> dict:
    """The intermediary's copy, based on the original, with its own rights notice."""
    via = document.via
    copy = {
        "@type": "NewsArticle",
        "headline": document.source.title or document.title,
        "publisher": _organisation(via.publisher.name, via.publisher),
        "isBasedOn": original,
    }
    if via.date:
        copy["datePublished"] = via.date.isoformat()
    if via.url:
        copy["url"] = via.url
    if via.rights:
        copy["copyrightNotice"] = via.rights
    return copy


def _capture(document: Document, copy: CopyInArchive) -> dict:
    """The capture as schema.org can say it: the copy kept, its checksum, when it was made."""
    capture = document.capture
    if capture is None:
        return {}
    kept = {
        "@type": "WebPage",
        "encodingFormat": "text/plain",
        "identifier": {"@type": "PropertyValue", "propertyID": "SHA-256", "value": capture.sha256},
    }
    if copy.capture_url:
        kept["url"] = copy.capture_url
    if capture.url:
        kept["isBasedOn"] = capture.url
    if capture.captured:
        kept["dateCreated"] = capture.captured.isoformat()
    else:
        kept["description"] = "Capture date not recorded" + (
            f"; in the archive's repository since {capture.committed.isoformat()}"
            if capture.committed
            else ""
        )
    return kept


def _thing(term) -> dict:
    kind = {"person": "Person"}.get(term.type, "Organization") if term.kind == "actor" else "Place"
    thing = {"@type": kind, "name": term.name}
    if term.wikidata:
        thing["sameAs"] = term.wikidata_url
    if term.coordinates:
        thing["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": term.coordinates[0],
            "longitude": term.coordinates[1],
        }
    return thing
