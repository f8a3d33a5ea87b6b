/* Marking a reader's search words: the one rule for what counts as a hit, shared by the
 * document page and the search page.
 *
 * On a document page it marks the words a reader searched for (?highlight=word, added by the
 * search page: the words of this document that matched the query) in the document's text and
 * scrolls to the first one. The search page loads it too: the engine uses
 * window.ArchiveHighlight for its query words and its excerpts. A classic script, not a
 * module, because browsers refuse modules on pages opened from disk (file://).
 */
(() => {
  "use strict";

  /* A word: a letter or digit, then letters, digits and the marks on them (accents written
     apart, Arabic vowel signs). plugins/search/offline.py::WORD is the same. */
  const WORD = /([\p{L}\p{N}][\p{L}\p{N}\p{M}]*)/u;

  /* The text cut into words (at odd positions, as written) and what lies between them. */
  function split(text) {
    return text.normalize("NFC").split(WORD);
  }

  /* Words as the indexer (offline.py::words) sees them: lower case, accents kept. */
  function words(text) {
    return split(text).filter((_, i) => i % 2).map((word) => word.toLowerCase());
  }

  /* Arabic letters compared as another (archive/model/folding.py::ARABIC, which says why):
     tatweel dropped, alef wasla as alef, alef maqsura as ya, ta marbuta as ha, and
     Arabic-Indic digits as ASCII ones. */
  const ARABIC = { "\u0640": "", "\u0671": "\u0627", "\u0649": "\u064a", "\u0629": "\u0647" };
  const ARABIC_LETTERS = /[\u0640\u0671\u0649\u0629\u0660-\u0669]/g;

  /* A word without its accents (offline.py::fold, that is folding.py::strip_accents): how a
     query typed without them matches. Decomposed, its marks dropped (accents; Arabic vowel
     signs, shadda, sukun, and the hamza or madda on a letter), Arabic written plainly. */
  function fold(word) {
    return word.normalize("NFKD").replace(/\p{M}/gu, "")
      .replace(ARABIC_LETTERS, (c) => ARABIC[c] ?? String(c.charCodeAt(0) - 0x660))
      .toLowerCase();
  }

  /* Words folded: lower case, no accents (none that folds to nothing: a lone tatweel). */
  function tokens(text) {
    return words(text).map(fold).filter(Boolean);
  }

  /* The text as DOM nodes, each word for which isHit(word in lower case, its number in the
     text) holds in a <mark>. */
  function markMatching(text, isHit) {
    const fragment = document.createDocumentFragment();
    split(text).forEach((part, i) => {
      if (i % 2 && isHit(part.toLowerCase(), (i - 1) / 2)) {
        const mark = document.createElement("mark");
        mark.textContent = part;
        fragment.append(mark);
      } else if (part) {
        fragment.append(document.createTextNode(part));
      }
    });
    return fragment;
  }

  /* The text as DOM nodes, each word that starts with one of `wanted` (folded) in a <mark>. */
  function markWords(text, wanted) {
    return markMatching(text, (word) => wanted.some((w) => fold(word).startsWith(w)));
  }

  window.ArchiveHighlight = Object.freeze({ split, words, fold, tokens, markWords, markMatching });

  const wanted = new URLSearchParams(location.search).getAll("highlight").flatMap(tokens);
  const body = document.querySelector(".document__body");
  if (!wanted.length || !body) return;

  const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
  const nodes = [];
  while (walker.nextNode()) nodes.push(walker.currentNode);
  let first = null;
  for (const node of nodes) {
    const marked = markWords(node.textContent, wanted);
    const mark = marked.querySelector("mark");
    if (!mark) continue;
    first ??= mark;
    node.replaceWith(marked);
  }
  first?.scrollIntoView({ block: "center" });
})();
