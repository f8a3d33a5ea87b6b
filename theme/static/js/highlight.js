/* Mark the words a reader searched for (?highlight=word, added by the search page) in the
   document's text, and scroll to the first one. Works from disk as well as served. */
(function () {
  "use strict";
  var words = new URLSearchParams(location.search).getAll("highlight")
    .map(function (w) { return w.toLowerCase(); }).filter(Boolean);
  var body = document.querySelector(".document__body");
  if (!words.length || !body) return;

  function fold(text) {
    return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
  }

  var walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
  var nodes = [];
  while (walker.nextNode()) nodes.push(walker.currentNode);
  var first = null;
  nodes.forEach(function (node) {
    var parts = node.textContent.split(/([\p{L}\p{N}]+)/u);
    if (!parts.some(function (p) { return words.some(function (w) { return fold(p).indexOf(w) === 0; }); })) return;
    var fragment = document.createDocumentFragment();
    parts.forEach(function (part) {
      var folded = fold(part);
      if (part && words.some(function (w) { return folded.indexOf(w) === 0; })) {
        var mark = document.createElement("mark");
        mark.textContent = part;
        fragment.appendChild(mark);
        first = first || mark;
      } else {
        fragment.appendChild(document.createTextNode(part));
      }
    });
    node.parentNode.replaceChild(fragment, node);
  });
  if (first) first.scrollIntoView({ block: "center" });
})();
