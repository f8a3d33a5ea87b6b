/* A "Copy" button beside each citation of a document page, and a "Copy link" button beside
 * its permanent address (progressive enhancement).
 *
 * Without JavaScript the citations and the address are plain text a reader selects and
 * copies; with it, each gets a button made from the page's <template id="cite-copy"> or
 * <template id="link-copy"> (their words are in the templates, so they are translated with
 * the page). A classic script, not a module: browsers refuse modules on pages opened from
 * disk (file://).
 */
(() => {
  "use strict";

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

  /* A copy control from `template` after `element`, copying `text`; `label` names it. */
  function addCopyButton(template, element, text, label) {
    const control = template.content.firstElementChild.cloneNode(true);
    const button = control.querySelector("button");
    const status = control.querySelector("[role=status]");
    if (label) button.setAttribute("aria-label", `${button.textContent.trim()} ${label}`);
    button.addEventListener("click", async () => {
      const done = await copy(text, element);
      status.textContent = done ? status.dataset.copied : status.dataset.failed;
    });
    element.after(control);
  }

  const citeTemplate = document.getElementById("cite-copy");
  if (citeTemplate) {
    for (const citation of document.querySelectorAll(".cite .citation")) {
      const style = citation.dataset.style || "";
      addCopyButton(citeTemplate, citation, citation.textContent.trim(), style);
    }
  }

  const linkTemplate = document.getElementById("link-copy");
  const address = document.querySelector(".document__address [data-address]");
  if (linkTemplate && address) {
    addCopyButton(linkTemplate, address, address.dataset.address, "");
  }
})();
