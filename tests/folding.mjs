// highlight.js's word rules under Node, for tests/test_folding.py:
//
//   node tests/folding.mjs fold      words on stdin, one a line -> each folded
//   node tests/folding.mjs tokens    texts on stdin, one a line -> each one's folded words
//
// Each answer is a JSON line. highlight.js is the classic script the pages load, run as it is
// in a context of its own with what it touches of a page: `window` (which receives
// ArchiveHighlight), the address (no ?highlight=, so it marks nothing) and `document`.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import vm from "node:vm";

const script = fileURLToPath(new URL("../theme/static/js/highlight.js", import.meta.url));
const page = {
  window: {},
  location: { search: "" },
  URLSearchParams,
  document: { querySelector: () => null },
};
vm.runInNewContext(readFileSync(script, "utf8"), page, { filename: script });
const highlight = page.window.ArchiveHighlight;

const [operation] = process.argv.slice(2);
if (!["fold", "tokens"].includes(operation)) {
  process.stderr.write("usage: node tests/folding.mjs fold|tokens < lines\n");
  process.exit(2);
}
const lines = readFileSync(0, "utf8").split("\n");
if (lines.at(-1) === "") lines.pop();
process.stdout.write(lines.map((line) => `${JSON.stringify(highlight[operation](line))}\n`).join(""));
