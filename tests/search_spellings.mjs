// Every spelling of an entity finds the same documents, in the same order, and at least those
// tagged with it: a rule checked on a whole index, for tests/test_search_index.py (the golden
// index) and tests/test_search_relevance.py (the shipped archive).
//
//   node tests/search_spellings.mjs <index folder>
//
// For each entity card of the index and each spelling that names it alone (not one two
// entities share, nor one of one or two letters, which names an entity only in capitals), the
// spelling is searched as a reader would type it. An ending filed for a card ("al assad") is
// searched too, and must find, besides, every document whose title or text has its words one
// after the other. Prints one JSON object: the number of spellings searched, and each whose
// results differ from those of its entity's first spelling, miss a document tagged with the
// entity or, for an ending, a document with its words.
import { readdirSync } from "node:fs";

import { engineOver } from "./search_page.mjs";

const folder = process.argv[2]?.replace(/\/?$/, "/");
if (!folder) {
  process.stderr.write("usage: node tests/search_spellings.mjs <index folder>\n");
  process.exit(2);
}
const { engine, window, need } = engineOver(folder);
await engine.open();
const { decodeSet } = window.ArchiveSearchEngine;

/* The cards (by facet/position) and, for each spelling, the cards it names. */
const cards = new Map();
const named = new Map();
for (const file of readdirSync(`${folder}entities`).sort()) {
  if (file === "names.js") continue;
  const chunk = await need(`entities/${file.replace(/\.js$/, "")}`);
  for (const [spelling, entries] of Object.entries(chunk)) {
    for (const card of entries) {
      const key = `${card[0]}/${card[1]}`;
      cards.set(key, card);
      if (!named.has(spelling)) named.set(spelling, new Set());
      named.get(spelling).add(key);
    }
  }
}

/* Each document's title and text, folded words. */
const texts = [];
for (let id = 0; id < engine.meta().count; id++) {
  const doc = await engine.documentOf(id);
  texts.push(window.ArchiveHighlight.tokens(`${doc.title} ${doc.text}`));
}
const having = (run) => texts.flatMap((words, id) => (words.some(
  (_, at) => run.every((word, k) => words[at + k] === word)) ? [id] : []));

let searched = 0;
const problems = [];
for (const [key, card] of [...cards].sort()) {
  const [facet, position, name, , , , spellings] = card;
  const tagged = [...decodeSet(await need(`filters/${facet}/${position}`))];
  let first = null;
  for (const spelling of spellings) {
    if (spelling.length <= 2 || named.get(spelling)?.size !== 1) continue;
    const outcome = await engine.search({ q: spelling, sort: "relevance", from: "", to: "", filters: {} });
    const ids = [...outcome.ids];
    searched++;
    const missing = tagged.filter((id) => !ids.includes(id));
    first ??= { spelling, ids };
    if (missing.length || ids.join() !== first.ids.join()) {
      problems.push({ entity: name, key, spelling, found: ids, like: first.spelling, expected: first.ids, missing });
    }
  }
}
/* The endings: spellings filed for a card that are none of its own. */
for (const [spelling, keys] of [...named].sort()) {
  const owned = [...keys].some((key) => cards.get(key)[6].includes(spelling));
  if (owned || keys.size !== 1) continue;
  const outcome = await engine.search({ q: spelling, sort: "relevance", from: "", to: "", filters: {} });
  const ids = [...outcome.ids];
  searched++;
  const missing = having(spelling.split(" ")).filter((id) => !ids.includes(id));
  if (missing.length) problems.push({ ending: spelling, found: ids, missing });
}
process.stdout.write(`${JSON.stringify({ searched, problems })}\n`);
