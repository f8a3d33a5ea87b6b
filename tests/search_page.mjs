// The search page's scripts under Node, for tests/search_engine.test.mjs and
// tests/search_spellings.mjs: highlight.js, stemmers.js and search-engine.js run as the page
// runs them, classic scripts in one context whose `window` receives them, and the index files
// of a folder call ArchiveSearch.load() as they run.
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import vm from "node:vm";

const SCRIPTS = fileURLToPath(new URL("../theme/static/js/", import.meta.url));

/* A page with no document text and no ?highlight=, which is all highlight.js asks of it. */
function page() {
  const context = vm.createContext({
    window: {}, location: { search: "" }, document: { querySelector: () => null },
    URLSearchParams, atob, TextEncoder, TextDecoder, console,
  });
  for (const name of ["highlight.js", "stemmers-ar.js", "stemmers.js", "search-engine.js"]) {
    vm.runInContext(readFileSync(`${SCRIPTS}${name}`, "utf8"), context, { filename: name });
  }
  return context;
}

/* An engine over the index in `folder` (ending in "/"), in the page language `language`;
   `rewrite` may alter a file's text before it runs; `asked` lists the files read; `need`
   reads one. */
export function engineOver(folder, language = "en", rewrite = (text) => text) {
  const context = page();
  const loaded = new Map();
  context.ArchiveSearch = { load(name, data) { loaded.set(name, data); } };
  const asked = [];
  const need = async (name) => {
    asked.push(name);
    const file = `${folder}${name}.js`;
    if (!existsSync(file)) throw new Error(`the search index is missing ${name}.js`);
    vm.runInContext(rewrite(readFileSync(file, "utf8")), context, { filename: file });
    return loaded.get(name);
  };
  const { window } = context;
  const engine = window.ArchiveSearchEngine.create({
    need, highlight: window.ArchiveHighlight, stemmers: window.ArchiveStemmers, language,
  });
  return { engine, asked, window, need };
}
