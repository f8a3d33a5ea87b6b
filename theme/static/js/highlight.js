/* Marking a reader's search words: the one rule for what counts as a hit, shared by the
 * document page and the search page.
 *
 * On a document page it marks the words a reader searched for (?highlight=word, added by the
 * search page: the words of this document that matched the query) in the document's text and
 * scrolls to the first one. search.js loads this file too and uses window.ArchiveHighlight
 * for its query words and its excerpts. A classic script, not a module, because browsers
 * refuse modules on pages opened from disk (file://).
 */
(() => {
  "use strict";

  /* Words as the indexer (plugins/search/offline.py) sees them: lower case, no accents,
     letters and digits. */
  function tokens(text) {
    return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) || [];
  }

  /* The text as DOM nodes, each word for which isHit(word as a token) holds in a <mark>. */
  function markMatching(text, isHit) {
    const fragment = document.createDocumentFragment();
    for (const part of text.split(/([\p{L}\p{N}]+)/u)) {
      const word = tokens(part)[0];
      if (word && isHit(word)) {
        const mark = document.createElement("mark");
        mark.textContent = part;
        fragment.append(mark);
      } else if (part) {
        fragment.append(document.createTextNode(part));
      }
    }
    return fragment;
  }

  /* The text as DOM nodes, each word that starts with one of `words` (tokens) in a <mark>. */
  function markWords(text, words) {
    return markMatching(text, (word) => words.some((w) => word.startsWith(w)));
  }

  window.ArchiveHighlight = Object.freeze({ tokens, markWords, markMatching });

  const words = new URLSearchParams(location.search).getAll("highlight").flatMap(tokens);
  const body = document.querySelector(".document__body");
  if (!words.length || !body) return;

  const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
  const nodes = [];
  while (walker.nextNode()) nodes.push(walker.currentNode);
  let first = null;
  for (const node of nodes) {
    const marked = markWords(node.textContent, words);
    const mark = marked.querySelector("mark");
    if (!mark) continue;
    first ??= mark;
    node.replaceWith(marked);
  }
  first?.scrollIntoView({ block: "center" });
})();
