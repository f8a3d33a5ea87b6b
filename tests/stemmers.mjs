// The search page's stemmers (theme/static/js/stemmers.js) under Node, for tests/test_stemmers.py:
// tens of thousands of words a second, where a browser page takes a batch per round trip.
//
//   node tests/stemmers.mjs stem <language>    words on stdin, one a line -> their stems
//   node tests/stemmers.mjs starts <language>  folded stems, one a line -> where search looks
//
// Each answer is a JSON line (a string, or the list `starts` returns). stemmers.js stays the
// classic script the page loads (pages opened from disk refuse modules): it is run as it is, in
// a context of its own whose `window` receives ArchiveStemmers, as a page's would.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import vm from "node:vm";

/* Every stemmer: those that ship apart first, as a site with documents in their languages
   loads them. */
const page = vm.createContext({ window: {} });
for (const name of ["stemmers-ar.js", "stemmers.js"]) {
  const script = fileURLToPath(new URL(`../theme/static/js/${name}`, import.meta.url));
  vm.runInContext(readFileSync(script, "utf8"), page, { filename: script });
}
const stemmers = page.window.ArchiveStemmers;

const [operation, language] = process.argv.slice(2);
if (!["stem", "starts"].includes(operation) || !language) {
  process.stderr.write("usage: node tests/stemmers.mjs stem|starts <language> < words\n");
  process.exit(2);
}
// Every line is a word, the empty one too (Snowball's Spanish vocabulary has some): answers
// stay line for line with the questions.
const lines = readFileSync(0, "utf8").split("\n");
if (lines.at(-1) === "") lines.pop();
const answer = (word) => stemmers[operation](word, language);
process.stdout.write(lines.map((word) => `${JSON.stringify(answer(word))}\n`).join(""));
