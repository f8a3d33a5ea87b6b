// The search engine (theme/static/js/search-engine.js) under Node's test runner, without a
// browser, on the golden index of tests/fixtures/search-index (records.json, written into
// index/ by plugins/search/offline.py; tests/test_search_index.py checks that the writer still
// writes exactly those files, and runs this file).
//
//   node --test tests/search_engine.test.mjs
//
// The engine runs as the search page runs it (search_page.mjs). Expected answers are reasoned
// from records.json, not copied from a run: each test says why.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import test from "node:test";
import { fileURLToPath } from "node:url";

import { engineOver as engineOn } from "./search_page.mjs";

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const INDEX = process.env.SEARCH_INDEX || here("fixtures/search-index/index/");
const RECORDS = JSON.parse(readFileSync(here("fixtures/search-index/records.json"), "utf8")).records;

/* An engine over the golden index (see search_page.mjs). */
const engineOver = (folder = INDEX, language = "en", rewrite = undefined) => engineOn(folder, language, rewrite);

/* A value made in the page's context, as one of this file's (deepEqual compares prototypes). */
const plain = (value) => JSON.parse(JSON.stringify(value));

/* The addresses of a search's results, in order. */
async function found(q, { language = "en", filters = {}, sort = "relevance" } = {}) {
  const { engine } = engineOver(INDEX, language);
  await engine.open();
  const outcome = await engine.search({ q, sort, from: "", to: "", filters });
  const documents = await Promise.all(outcome.ids.map(engine.documentOf));
  return { urls: plain(documents.map((doc) => doc.url)), outcome, engine };
}

/* Documents are numbered newest first (docs/search-index.md), so in records.json's dates:
   0 palmyre-declaree (2017-03-05), 1 islamic-state-group (2017-03-02), 2 army-declares
   (2016-05-01), 3 es/un-convoy (2016-04-20), 4 convoy-reaches (2016-04-12), 5 fr/le-convoi
   (2016-03-02), 6 es/informe (2015-11-30), 7 report-on-detention (2015-01-10), 8
   envoy-meets-al-assad (2014-06-01), 9 ruins-of-tadmur (2014-05-05). */

test("the records are numbered newest first", async () => {
  const { engine } = engineOver();
  await engine.open();
  const byDate = [...RECORDS].sort((a, b) => b.date.localeCompare(a.date));
  const urls = await Promise.all(byDate.map((_, id) => engine.documentOf(id)));
  assert.deepEqual(urls.map((doc) => doc.url), byDate.map((record) => record.url));
});

test("both encodings of a set of documents decode", () => {
  const { window } = engineOver();
  const { decodeSet } = window.ArchiveSearchEngine;
  /* The English documents, 1, 2, 4, 7, 8 and 9, as a bitmap: bits 1, 2, 4 and 7 of a first
     byte, 0x96, and bits 0 and 1 of a second, 0x03; in base64, "lgM=". */
  assert.deepEqual([...decodeSet("=lgM=")], [1, 2, 4, 7, 8, 9]);
  /* Spanish 3 and 6 as base-36 gaps from 0; a gap of 36 is "10". */
  assert.deepEqual([...decodeSet("3,3")], [3, 6]);
  assert.deepEqual([...decodeSet("a,10")], [10, 46]);
  assert.deepEqual([...decodeSet("")], []);
});

test("an index of another format is refused with what to do", async () => {
  const { engine } = engineOver(INDEX, "en", (text) => text.replace('"format":2', '"format":1'));
  await assert.rejects(engine.open(), /format 1, this page reads 2: rebuild the site/);
});

test("a word finds its inflections in each document's language, best first", async () => {
  /* "convoy" and "convoys" (English), "convoy" (Spanish text); French "convoi" is another
     word. The report with "Convoy" in its title and twice in its text ranks first; the
     ceasefire report, with "Convoys" once in its text only, last. */
  const { urls } = await found("convoy");
  assert.deepEqual(new Set(urls), new Set([
    "convoy-reaches-palmyra.html", "es/un-convoy-llega-a-palmira.html",
    "army-declares-ceasefire-near-aleppo.html"]));
  assert.equal(urls[0], "convoy-reaches-palmyra.html");
  assert.equal(urls.at(-1), "army-declares-ceasefire-near-aleppo.html");
});

test("a word typed without its accents finds them through their stem", async () => {
  /* Both French documents say "déclarée"; the English "declared" is not the same word. */
  const { urls } = await found("declaree");
  assert.deepEqual(new Set(urls), new Set([
    "fr/palmyre-declaree-zone-sure.html", "fr/le-convoi-est-arrive-a-alep.html"]));
});

test("a name in another language finds its entity's documents, the entity first", async () => {
  /* Palmira is Palmyra's Spanish name: its four tagged documents, and the untagged report
     whose text calls the town Tadmur, another of its spellings. */
  const { urls, outcome } = await found("Palmira");
  assert.deepEqual(plain(outcome.found.cards.map((card) => card[2])), ["Palmyra"]);
  assert.deepEqual(new Set(urls), new Set([...RECORDS.filter(
    (record) => record.filters.location?.includes("Palmyra")).map((record) => record.url),
  "ruins-of-tadmur.html"]));
});

test("any spelling of a name finds the texts that use another, and marks what matched", async () => {
  const { urls, outcome, engine } = await found("Palmyra");
  assert.ok(urls.includes("ruins-of-tadmur.html"));
  const text = RECORDS.find((record) => record.url === "ruins-of-tadmur.html").text;
  const marked = engine.hits(outcome.found, "en", text);
  const { window } = engineOver();
  const words = window.ArchiveHighlight.words(text);
  assert.deepEqual(plain(words.filter((_, n) => marked[n])), ["tadmur"]);
});

test("a name ending a spelling names its entity; its short words count only in the name", async () => {
  /* "al-Assad" ends "Bashar al-Assad" and no other spelling: the entity's card; its tagged
     document (which never names him) and the texts that do, tagged or not. */
  const { urls, outcome, engine } = await found("al-Assad");
  assert.deepEqual(plain(outcome.found.cards.map((card) => card[2])), ["Bashar al-Assad"]);
  assert.deepEqual(new Set(urls), new Set([
    "es/informe-sobre-el-estado-islamico.html", "envoy-meets-al-assad.html"]));
  /* "Al" of "Al Raqa" is not a hit: "al" counts only before "Assad". */
  const text = RECORDS.find((record) => record.url === "envoy-meets-al-assad.html").text;
  const marked = engine.hits(outcome.found, "en", text);
  const { window } = engineOver();
  const words = window.ArchiveHighlight.words(text);
  assert.deepEqual(plain(words.filter((_, n) => marked[n])), ["al", "assad"]);
  assert.equal(marked[words.indexOf("raqa") - 1], false);
});

test("a short spelling names an entity only in capitals, and is never looked for in texts", async () => {
  /* Its tagged documents only: not the report on Tadmur, whose text has "is". */
  const capitals = await found("IS");
  assert.deepEqual(plain(capitals.outcome.found.cards.map((card) => card[2])), ["Islamic State"]);
  assert.deepEqual(new Set(capitals.urls), new Set(RECORDS.filter(
    (record) => record.filters.actor?.includes("Islamic State")).map((record) => record.url)));
  const lower = await found("is");
  assert.deepEqual(plain(lower.outcome.found.cards), []);
});

test("quoted words must follow each other", async () => {
  /* The Spanish report has "convoy humanitario": the same words in another order. */
  const { urls } = await found('"humanitarian convoy"');
  assert.deepEqual(urls, ["convoy-reaches-palmyra.html"]);
});

test("bylines are searched", async () => {
  const { urls } = await found("Jane Doe");
  assert.deepEqual(urls, ["convoy-reaches-palmyra.html"]);
});

test("a document behind a content warning is found by its warning only", async () => {
  const { urls, engine } = await found("torture");
  assert.deepEqual(urls, ["report-on-detention.html"]);
  assert.equal((await engine.documentOf(7)).warned, true);
});

test("a misspelt name gives no result but the name it is close to", async () => {
  const { urls, outcome, engine } = await found("Palmyrra");
  assert.deepEqual(urls, []);
  assert.ok((await engine.suggestions(outcome.found)).includes("Palmyra"));
});

test("suggestions name an entity in the page's language", async () => {
  const { outcome, engine } = await found("Palmyrra", { language: "es" });
  assert.ok((await engine.suggestions(outcome.found)).includes("Palmira"));
});

test("filters: OR within a facet, AND across facets, newest first without a query", async () => {
  const { urls } = await found("", { filters: { location: ["Palmyra", "Raqqa"], year: ["2017", "2015"] } });
  assert.deepEqual(urls, [
    "fr/palmyre-declaree-zone-sure.html", "islamic-state-group-withdraws.html",
    "es/informe-sobre-el-estado-islamico.html"]);
  const oldest = await found("", { filters: { location: ["Palmyra"] }, sort: "oldest" });
  assert.equal(oldest.urls[0], "convoy-reaches-palmyra.html");
});

test("a facet's counts are what ticking one more of its values would add", async () => {
  const { engine, outcome } = await found("", { filters: { location: ["Aleppo"] } });
  const counts = await engine.facetCounts(outcome.candidates, outcome.masksByFacet);
  const locations = await engine.facet("location");
  const count = (name) => counts.location[locations.values.indexOf(name)];
  /* Ticking Palmyra too would add its four documents: the location facet ignores its own. */
  assert.equal(count("Palmyra"), 4);
  const actors = await engine.facet("actor");
  /* Among Aleppo's three documents, two are the Syrian Army's. */
  assert.equal(counts.actor[actors.values.indexOf("Syrian Army")], 2);
});

test("an address names a filter value in any of its spellings, and an unknown one is said", async () => {
  const { engine } = engineOver();
  await engine.open();
  const { filters, unknown } = await engine.resolveFilters({
    location: ["Palmyre", "Alep", "palmyra"], actor: ["daesh", "Nobody"],
    collection: ["syria-war"], language: ["es"], colour: ["red"],
  });
  assert.deepEqual(plain(filters), {
    location: ["Palmyra", "Aleppo"], actor: ["Islamic State"], collection: ["Syria war"],
    language: ["Spanish"],
  });
  assert.deepEqual(plain(unknown), [{ name: "actor", value: "Nobody" }, { name: "colour", value: "red" }]);
});

test("a facet's values are named in the page's language", async () => {
  const { engine } = engineOver(INDEX, "fr");
  await engine.open();
  const locations = await engine.facet("location");
  assert.equal(locations.labels[locations.values.indexOf("Aleppo")], "Alep");
  assert.equal(locations.labels[locations.values.indexOf("Raqqa")], "Raqqa");
});

test("an excerpt starts a few words before the first hit", async () => {
  const { engine, window } = engineOver();
  await engine.open();
  const doc = await engine.documentOf(4);
  const marked = window.ArchiveHighlight.words(doc.text).map((word) => word === "medicine");
  const { text, start, before, after } = engine.excerpt(doc.text, marked);
  /* "medicine" is the text's 20th word: the excerpt starts 8 words earlier, at its 12th (11
     counted from 0), and holds the 22 words to the end. */
  assert.ok(text.startsWith("the road safe. The convoy carried food and medicine"), text);
  assert.ok(text.endsWith("through the siege."), text);
  assert.equal(start, 11);
  assert.equal(before, true);
  assert.equal(after, false);
});

test("a query loads the chunks of its words, not documents or filters", async () => {
  const { engine, asked } = engineOver();
  await engine.open();
  await engine.search({ q: "convoy", sort: "relevance", from: "", to: "", filters: {} });
  assert.deepEqual(asked.filter((name) => name.startsWith("docs/") || name.startsWith("filters/")), []);
  assert.ok(asked.includes("en/terms/636f") && asked.includes("es/terms/636f"), asked.join(" "));
});
