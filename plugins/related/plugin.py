"""Pelican plugin: what else to read, computed once before any page is written.

Readers follow connections: the same place, the same group, the same week. Every published
document gets `article.related`, its most related documents, each with the reasons (the
actors and places both name, the places both lie within, how many days apart), and
`article.neighbours`, the newer and older document of its collection. Templates render them
(theme/templates/partials/related.html); no HTML is made here.

Scores come from an inverted index, subject -> documents, never from comparing all pairs:
a document's candidates are the documents nearest in date in each of its subjects' lists
(`window` on each side, the whole list for a rare subject), counted at C speed; only the
most frequent candidates are then scored exactly. The cost per document is bounded by its
number of subjects, so the step grows with the number of documents, not its square.
Previous/next live here too: both are "what to read next", computed in one pass.
"""

from __future__ import annotations

import functools
import gc
import logging
import math
import os
from collections import Counter
from dataclasses import dataclass
from itertools import chain

from pelican import signals

from archive.model.registries import load_registries
from archive.site.plan import PagePlan, Shows
from archive.site.workers import start_pool

logger = logging.getLogger(__name__)

DEFAULTS = {
    # Related documents shown on a document's page.
    "count": 5,
    # A place's parent counts this much of the place itself (its grandparent, the square).
    "parent_weight": 0.5,
    # Days apart at which closeness in date adds half of what the same day adds.
    "days_scale": 30,
    # A subject of this share of the documents or more, and of at least `common_count`, is
    # common ("Syria", "Islamic State" in an archive about Syria): it counts, but cannot make
    # a link on its own. (In a handful of documents, no subject is common.)
    "common_share": 0.1,
    "common_count": 5,
    # How much more a document about the same country counts (their places have a top-level
    # place in common), so that a report on Iraq ranks the other one on Iraq above reports
    # on Syria that share as much else.
    "same_country": 0.5,
    # Documents nearest in date taken from each subject's list, on each side.
    "window": 12,
    # Candidates scored exactly, the most frequent among those windows.
    "candidates": 16,
    # Worker processes scoring them (0: one per core), for archives of this many documents
    # or more (below that, forking costs more than it saves).
    "workers": 0,
    "parallel_from": 2000,
}


def settings_of(settings: dict) -> dict:
    """This plugin's settings (`RELATED = {...}`) over its defaults, checked."""
    options = {**DEFAULTS, **settings.get("RELATED", {})}
    for key in ("count", "days_scale", "window", "candidates", "parallel_from", "common_count"):
        if not isinstance(options[key], int) or options[key] < 1:
            logger.error("related: RELATED[%r] must be a positive integer", key)
            options[key] = DEFAULTS[key]
    if not isinstance(options["workers"], int) or options["workers"] < 0:
        logger.error("related: RELATED['workers'] must be 0 (one per core) or more")
        options["workers"] = DEFAULTS["workers"]
    for key in ("parent_weight", "common_share", "same_country"):
        if not isinstance(options[key], (int, float)) or not 0 <= options[key] <= 1:
            logger.error("related: RELATED[%r] must be a number between 0 and 1", key)
            options[key] = DEFAULTS[key]
    return options


@dataclass(frozen=True)
class Related:
    """One related document and why: shared subjects, shared surrounding places, days apart.

    `days` is the related document's date minus this one's: negative when it is earlier.
    """

    article: object
    score: float
    shared: tuple  # registry Terms both documents name: actors first, then places
    within: tuple  # places both lie within without both naming them (nearest first)
    days: int


def subjects_of(document, ancestors, parent_weight: float) -> dict:
    """A document's subjects: key -> (weight, registry Term, whether the document names it).

    Named actors and places weigh 1, the places around them less (`parent_weight` per
    level), except the country: the top-level place of a named one weighs 1, for the
    country a report is about is what a reader follows first (a report on Baghdad and one
    on Mosul are both about Iraq, however far each lies below it).
    """
    weights = {("actor", term.slug): (1.0, term, True) for term in document.actors}
    for term in document.locations:
        weights[("location", term.slug)] = (1.0, term, True)
    for term in document.locations:
        around = ancestors(term.slug)
        for level, place in enumerate(around, start=1):
            key = ("location", place.slug)
            weight = 1.0 if level == len(around) else parent_weight**level
            if key not in weights or weights[key][0] < weight:
                weights[key] = (weight, place, False)  # a named place weighs 1 already
    return weights


class RelatedIndex:
    """Subjects -> documents (newest first), and each document's place in those lists.

    Subjects are numbered (small integers hash fastest); `vectors[n]` holds document n's
    subject weights times the square root of their rarity, so that the score of a pair is
    the sum of the products over the subjects both have.
    """

    def __init__(self, documents: list, registries, options: dict):
        self.documents = documents
        self.options = options
        self.ancestors = functools.cache(registries.locations.ancestors)
        self.days = [article.document.date.toordinal() for article in documents]
        numbers: dict[tuple, int] = {}
        self.terms: list = []  # subject number -> registry Term
        self.weights: list[dict[int, float]] = []
        self.named: list[set[int]] = []  # the subjects each document names itself
        for article in documents:
            found = subjects_of(article.document, self.ancestors, options["parent_weight"])
            weights, named = {}, set()
            for key, (weight, term, is_named) in found.items():
                if key not in numbers:
                    numbers[key] = len(self.terms)
                    self.terms.append(term)
                weights[numbers[key]] = weight
                if is_named:
                    named.add(numbers[key])
            self.weights.append(weights)
            self.named.append(named)
        self.postings: list[list[int]] = [[] for _ in self.terms]
        self.positions: list[list[tuple[int, int]]] = []
        for number, weights in enumerate(self.weights):
            self.positions.append([(key, len(self.postings[key])) for key in weights])
            for key in weights:
                self.postings[key].append(number)
        total = len(documents)
        # Rarer subjects weigh more: inverse document frequency.
        root = [math.sqrt(math.log(1 + total / len(p))) for p in self.postings]
        self.vectors = [{k: w * root[k] for k, w in weights.items()} for weights in self.weights]
        self.common = {
            key
            for key, posting in enumerate(self.postings)
            if len(posting) >= max(options["common_share"] * total, options["common_count"])
        }
        # Each document's countries: the top-level places of the places it names.
        self.countries = [
            {(self.ancestors(term.slug) or [term])[-1].slug for term in article.document.locations}
            for article in documents
        ]

    def candidates(self, number: int) -> list[int]:
        """Documents sharing a subject with `number`, nearest in date first in each list."""
        window = self.options["window"]
        postings = self.postings
        nearby = Counter(
            chain.from_iterable(
                postings[key][max(0, at - window) : at + window + 1]
                for key, at in self.positions[number]
            )
        )
        del nearby[number]
        return [other for other, _ in nearby.most_common(self.options["candidates"])]

    def related(self, number: int) -> list[Related]:
        """The most related documents to document `number`, best first."""
        return [self.made(*found) for found in self.found(number)]

    def found(self, number: int) -> list[tuple]:
        """The most related documents to document `number`, best first, as plain numbers.

        Each is (other document, score, days apart, shared subjects, a subject both lie
        within): what a worker process sends back (compute_related). Score: the shared
        subjects' weights (rarer subjects and the places themselves more than their
        parents), raised by up to double for closeness in date, and by `same_country` for a
        document about the same country. A pair that shares only common subjects is no link.
        """
        mine, day, scale = self.vectors[number], self.days[number], self.options["days_scale"]
        vectors, days, documents = self.vectors, self.days, self.documents
        countries, bonus = self.countries[number], self.options["same_country"]
        scored = []
        for other in self.candidates(number):
            theirs = vectors[other]
            both = mine.keys() & theirs.keys()
            if both <= self.common:
                continue
            apart = days[other] - day
            score = sum(mine[k] * theirs[k] for k in both)
            score *= 1 + scale / (scale + abs(apart))
            if countries & self.countries[other]:
                score *= 1 + bonus
            scored.append((-score, abs(apart), documents[other].url, other, score, apart))
        scored.sort()
        return [
            (other, round(score, 6), apart, *self.reasons(number, other))
            for *_, other, score, apart in scored[: self.options["count"]]
        ]

    def reasons(self, number: int, other: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """Why two documents are related: the subjects both name, and a place both lie within.

        "Both within" a place is said only when every place either document names lies
        within it and neither names it: "both within Russia" must not be read of a report
        on Donetsk beside one on Rostov, nor "within Deir ez-Zor Governorate" of one on
        Palmyra. The nearest such place is given, unless it contains a place both name
        (which says more).
        """
        mine, theirs, terms = self.weights[number], self.weights[other], self.terms
        named = self.named[number] | self.named[other]
        both = sorted(
            mine.keys() & theirs.keys(),
            key=lambda k: (terms[k].kind != "actor", -min(mine[k], theirs[k]), terms[k].slug),
        )
        shared = tuple(k for k in both if k in self.named[number] & self.named[other])
        around = {  # places containing a shared place say nothing more
            place.slug
            for k in shared
            if terms[k].kind == "location"
            for place in self.ancestors(terms[k].slug)
        }
        places = [terms[k].slug for k in named if terms[k].kind == "location"]
        within = sorted(
            (
                k
                for k in both
                if k not in named
                and terms[k].slug not in around
                and all(terms[k] in self.ancestors(place) for place in places)
            ),
            key=lambda k: -len(self.ancestors(terms[k].slug)),  # the nearest: the deepest
        )
        return shared, tuple(within[:1])

    def made(self, other: int, score: float, days: int, shared: tuple, within: tuple) -> Related:
        """The Related of what `found` found."""
        terms = self.terms
        return Related(
            self.documents[other],
            score,
            tuple(terms[k] for k in shared),
            tuple(terms[k] for k in within),
            days,
        )


def compute_related(documents: list, registries, options: dict) -> list[list[Related]]:
    """The related documents of every document in `documents` (newest first), in order.

    A large archive's are found by forked workers, which inherit the index and send back
    plain numbers; the result is the same as found in one process (tested).
    """
    index = RelatedIndex(documents, registries, options)
    workers = options["workers"] or os.cpu_count() or 1
    if workers == 1 or len(documents) < options["parallel_from"]:
        return [index.related(number) for number in range(len(documents))]
    size = -(-len(documents) // (workers * 8))  # eight shares per worker evens them out
    shares = [
        range(start, min(start + size, len(documents))) for start in range(0, len(documents), size)
    ]
    _job["index"] = index
    gc.freeze()  # the workers' garbage collector leaves the inherited objects unshared
    try:
        with start_pool(workers) as pool:
            found = pool.map(_found_in_worker, shares, chunksize=1)
    finally:
        gc.unfreeze()
        _job.clear()
    return [[index.made(*each) for each in share_found] for share in found for share_found in share]


#: What forked workers need (compute_related); set while they run, which they inherit.
_job: dict = {}


def _found_in_worker(numbers: range) -> list[list[tuple]]:
    """In a worker: `found` for each document of `numbers`."""
    index = _job["index"]
    return [index.found(number) for number in numbers]


def neighbours(documents: list) -> dict[int, dict]:
    """The newer and older document of each document's collection (id -> {newer, older})."""
    by_collection: dict[str, list] = {}
    for article in documents:  # newest first
        by_collection.setdefault(article.document.collection.key, []).append(article)
    found = {}
    for members in by_collection.values():
        for at, article in enumerate(members):
            found[id(article)] = {
                "newer": members[at - 1] if at else None,
                "older": members[at + 1] if at + 1 < len(members) else None,
            }
    return found


def attach_related(generators):
    """Give every published document its related documents and collection neighbours.

    They are found among the listed documents (one version per report, so a document's own
    translations are never "related"); the other versions of a report share its findings.
    """
    context, settings = generators[0].context, generators[0].settings
    documents = context.get("listed_documents", [])
    registries = load_registries(settings["PATH"])
    for article, related in zip(
        documents, compute_related(documents, registries, settings_of(settings)), strict=True
    ):
        article.related = related
    found = neighbours(documents)
    for article in documents:
        article.neighbours = found[id(article)]
    listed = {id(article): article for article in documents}
    plan = PagePlan.of(context)
    for article in context.get("published_documents", []):
        if id(article) not in listed:
            version = next(other for other in article.translations if id(other) in listed)
            article.related, article.neighbours = version.related, version.neighbours
        # A document's page lists them as a list lists a document (title, date, source).
        beside = [entry.article for entry in article.related]
        beside += [other for other in article.neighbours.values() if other is not None]
        plan.add(article, Shows(lists=[beside]))


def register():
    """Connect to Pelican: once every document is read, before anything is written."""
    signals.all_generators_finalized.connect(attach_related)
