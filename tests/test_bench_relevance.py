"""The bench's judge of relevance (bench/relevance.py), on hand-made results: no browser.

Both engines' results are judged by one definition of a false hit and a miss; these tests
pin it down on a tiny archive, and check that the relevance set's data loads on its own.
"""

from __future__ import annotations

from urllib.parse import parse_qs

from bench.relevance import (
    FIRST,
    Document,
    Entity,
    judge,
    key_of,
    pagefind_applicable,
    pagefind_filters,
    query_text,
    spoken,
)
from bench.relevance_set import SHIPPED, SYNTHETIC, Case


def document(key: str, language: str, text: str, *tags: str) -> Document:
    return Document(key, language, tuple(spoken(text)), frozenset(t.casefold() for t in tags))


ARCHIVE = {
    d.key: d
    for d in (
        document("documents/a/arms.html", "en", "Arms were sold."),
        document("documents/a/army.html", "en", "The army advanced."),
        document("documents/a/operation.html", "en", "The operation ended."),
        document("documents/b/declaree.html", "fr", "La trêve fut déclarée hier."),
        document("documents/b/declare.html", "fr", "Il a déclaré la fin."),
        document("documents/b/other-fr.html", "fr", "Rien à voir."),
        document("documents/c/tagged.html", "en", "The group took the town.", "Islamic State"),
        document("documents/c/spelt.html", "es", "El Estado Islámico tomó la ciudad."),
        document("documents/c/unrelated.html", "en", "Rain fell on the market."),
    )
}
ENTITIES = [Entity("Islamic State", ("Daesh", "ISIS", "Estado Islámico", "État islamique"))]


def keys(*names: str) -> list[str]:
    return [f"documents/{name}.html" for name in names]


def test_the_relevance_set_loads_without_any_test_module():
    assert len(SHIPPED) + len(SYNTHETIC) >= 30
    for case in (*SHIPPED.values(), *SYNTHETIC.values()):
        assert isinstance(case, Case)
        assert parse_qs(case.query), case
        assert not set(case.must) & set(case.must_not), case
    texts = [c for c in (*SHIPPED.values(), *SYNTHETIC.values()) if query_text(c) is not None]
    assert len(texts) >= 40


def test_a_shared_start_is_a_false_hit_a_shared_stem_is_not():
    case = Case("q=arm", must=("a/operation",))
    verdict = judge(case, keys("a/arms", "a/army"), ARCHIVE, ENTITIES)
    assert verdict.false_hits == [(keys("a/army")[0], "no query word and no named entity")]
    assert verdict.misses == ["a/operation"]


def test_a_must_not_document_is_a_false_hit_whatever_it_holds():
    case = Case("q=arms", must_not=("a/arms",))
    verdict = judge(case, keys("a/arms"), ARCHIVE, ENTITIES)
    assert verdict.false_hits == [(keys("a/arms")[0], "must not be found")]


def test_a_stem_in_the_documents_language_and_accents_typed_or_not():
    # "operational" stems with "operation"; "declaree" stands for the archive's "déclarée",
    # which stems with "déclaré"; a French text without either is a false hit.
    assert judge(Case("q=operational"), keys("a/operation"), ARCHIVE, ENTITIES).false_hits == []
    verdict = judge(Case("q=declaree"), keys("b/declaree", "b/declare", "b/other-fr"), ARCHIVE, [])
    assert [key for key, _ in verdict.false_hits] == keys("b/other-fr")


def test_a_named_entity_counts_by_any_spelling_in_the_text_or_by_its_tag():
    verdict = judge(Case("q=Daesh"), keys("c/tagged", "c/spelt", "c/unrelated"), ARCHIVE, ENTITIES)
    assert [key for key, _ in verdict.false_hits] == keys("c/unrelated")
    # Without the registry's spellings, neither is related to the word typed.
    verdict = judge(Case("q=Daesh"), keys("c/tagged", "c/spelt"), ARCHIVE, [])
    assert len(verdict.false_hits) == 2


def test_a_must_document_after_the_first_20_is_a_miss_and_a_result_unknown_a_false_hit():
    results = ["documents/x/elsewhere.html"] * FIRST + keys("a/arms")
    verdict = judge(Case("q=arms", must=("a/arms",)), results, ARCHIVE, ENTITIES)
    assert verdict.misses == ["a/arms"]
    assert verdict.results == FIRST + 1
    assert len(verdict.false_hits) == FIRST
    assert {why for _, why in verdict.false_hits} == {"not a document of the archive"}


def test_both_engines_results_name_a_document_alike():
    here = "documents/syria-war/2017/x.html"
    assert key_of(f"http://127.0.0.1:8000/es/{here}") == here  # Pagefind's, merged index
    assert key_of(f"/{here}") == here
    assert key_of(f"file:///site/fr/{here}") == here  # ours, from disk


def test_what_only_ours_has_is_not_put_to_pagefind():
    assert pagefind_applicable(SHIPPED["stem-en"]) is None
    assert pagefind_applicable(SHIPPED["word-and-place"]) is None
    assert "card" in pagefind_applicable(SHIPPED["palmyra-en"])
    assert "did you mean" in pagefind_applicable(SHIPPED["misspelt"])
    assert "sort" in pagefind_applicable(SHIPPED["oldest"])
    assert pagefind_filters(SHIPPED["word-and-place"]) == {"location": "Tripoli"}
    assert pagefind_filters(Case("q=x&year=2016&year=2017")) == {"year": {"any": ["2016", "2017"]}}
