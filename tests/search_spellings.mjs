// Every spelling of an entity finds the same documents, in the same order, and at least those
// tagged with it: a rule checked on a whole index, for tests/test_search_index.py (the golden
// index) and tests/test_search_relevance.py (the shipped archive).
//
//   node tests/search_spellings.mjs <index folder>
//
// For each entity card of the index and each spelling that names it alone (not one two
// entities share, nor one of one or two letters, which names an entity only in capitals), the
// spelling is searched as a reader would type it. Prints one JSON object: the number of
// spellings searched, and each spelling whose results differ from those of its entity's first
// spelling or miss a document tagged with the entity.
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
process.stdout.write(`${JSON.stringify({ searched, problems })}\n`);
