// Injected by `archive serve` into the pages it serves (never written into output/): the
// open page reloads itself after a save, and shows why when a save was rejected.
(() => {
  "use strict";
  const BOX_ID = "archive-preview-problems";

  const showProblems = (lines) => {
    let box = document.getElementById(BOX_ID);
    if (!box) {
      box = document.createElement("div");
      box.id = BOX_ID;
      box.setAttribute("role", "alert");
      box.style.cssText =
        "position:fixed;inset:0 0 auto;z-index:1000;max-height:50vh;overflow:auto;" +
        "margin:0;padding:1rem;background:#fff4f4;color:#5c0000;border-bottom:3px solid #b00;" +
        "font:14px/1.5 monospace;white-space:pre-wrap";
      document.body.prepend(box);
    }
    box.textContent = lines.join("\n");
  };

  const events = new EventSource("/__preview__/events");
  events.addEventListener("reload", () => window.location.reload());
  events.addEventListener("problems", (event) => showProblems(JSON.parse(event.data)));
})();
