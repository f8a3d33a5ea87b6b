/* A "Copy" button beside each citation of a document page (progressive enhancement).
 *
 * Without JavaScript the citations are plain text a reader selects and copies; with it,
 * each gets a button made from the page's <template id="cite-copy"> (its words are in the
 * template, so they are translated with the page). A classic script, not a module: browsers
 * refuse modules on pages opened from disk (file://).
 */
(() => {
  "use strict";

  const template = document.getElementById("cite-copy");
  if (!template) return;

  /* Copy through the Clipboard API, else through a selection and the older copy command. */
  async function copy(text, element) {
    if (navigator.clipboard && window.isSecureContext) {
      try {
        await navigator.clipboard.writeText(text);
        return true;
      } catch {
        /* Refused (permissions, an unfocused page): try the selection below. */
      }
    }
    const range = document.createRange();
    range.selectNodeContents(element);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    try {
      return document.execCommand("copy");
    } catch {
      return false;
    }
  }

  for (const citation of document.querySelectorAll(".cite .citation")) {
    const control = template.content.firstElementChild.cloneNode(true);
    const button = control.querySelector("button");
    const status = control.querySelector("[role=status]");
    const style = citation.dataset.style || "";
    button.setAttribute("aria-label", `${button.textContent.trim()} ${style}`.trim());
    button.addEventListener("click", async () => {
      const done = await copy(citation.textContent.trim(), citation);
      status.textContent = done ? status.dataset.copied : status.dataset.failed;
    });
    citation.after(control);
  }
})();
