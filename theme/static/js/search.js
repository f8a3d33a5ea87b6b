/* The search page: the reader's query, filters and order in and out of the address, and what
 * the engine finds drawn on the page.
 *
 * The engine (search-engine.js) reads the index that plugins/search/offline.py writes:
 * plain scripts that call ArchiveSearch.load(), which this page adds with <script src> on
 * demand. Browsers allow that from file:// as well as over HTTP (they refuse fetch() and
 * modules from disk), so a query finds the same documents in the same order both ways. The
 * search page alone loads this script, after highlight.js, stemmers.js and the engine; the
 * header's search box on every other page is a plain form that opens this page.
 *
 * Each result's title and excerpt carry the document's own language and direction (lang,
 * dir from meta.js), whatever the page's. The reader's strings come from the template
 * (data-messages): a string, or its plural forms chosen with Intl.PluralRules. The index,
 * one for every interface language, holds data where a reader would see words: an entity's
 * type is a key ("armed group", worded by the message "type.armed group"), its names in
 * other languages sit beside its name, and a document behind a content warning has the
 * warning as its text, worded by the message "contentWarning".
 *
 * The query, filters, order and year range live in the URL (?q=…&actor=…&from=…), so a
 * search can be bookmarked and shared; Back also restores how many results were shown and
 * where the page was scrolled.
 */
(() => {
  "use strict";

  const root = document.querySelector("[data-search]");
  if (!root) return;

  const PAGE_SIZE = 10;
  const FILTER_BOX_FROM = 8;
  const pageLanguage = document.documentElement.lang;
  const marking = window.ArchiveHighlight;

  /* ---------- the reader's strings, all from the template ---------- */
  const messages = JSON.parse(root.dataset.messages);
  const plurals = new Intl.PluralRules(pageLanguage || undefined);
  const numbers = new Intl.NumberFormat(pageLanguage || undefined);
  /* Dates as the pages write them (Babel's "long" format): "12 de abril de 2016". */
  const dates = new Intl.DateTimeFormat(pageLanguage || undefined, { dateStyle: "long", timeZone: "UTC" });

  /* A message with its {names} filled in, numbers written the page's way. A message is a
     string, or an object of CLDR plural forms ({"one": …, "other": …}) chosen by
     values.count. */
  function message(key, values = {}) {
    let text = messages[key];
    if (typeof text === "object") text = text[plurals.select(values.count)] ?? text.other;
    return text.replace(/\{(\w+)\}/g, (_, name) => (typeof values[name] === "number"
      ? numbers.format(values[name]) : String(values[name])));
  }

  /* A message about a number of things: `many` if the template gives its plural forms, else
     `one` or `many` (the templates' older strings). */
  function counted(one, many, values) {
    return message(typeof messages[many] === "object" || values.count !== 1 ? many : one, values);
  }

  const form = root.querySelector(".search__form");
  const input = form.elements.q;
  const sortSelect = form.elements.sort;
  const statusLine = root.querySelector(".search__status");
  const unknownLine = root.querySelector(".search__unknown");
  const suggestionsLine = root.querySelector(".search__suggestions");
  const resultsBox = root.querySelector(".search__results");
  const entitiesBox = root.querySelector(".search__entities");
  const list = root.querySelector(".search__list");
  const moreButton = root.querySelector(".search__more");
  const filtersPanel = root.querySelector(".search__filters");
  const filtersTitle = root.querySelector(".search__filters-title");
  const facetsBox = root.querySelector(".search__facets");
  const clearButton = root.querySelector(".search__clear");
  const templates = {
    result: root.querySelector(".search__result-template"),
    entity: root.querySelector(".search__entity-template"),
    value: root.querySelector(".search__value-template"),
  };
  const base = root.dataset.index;
  /* Where results and names lead: this interface language's pages (data-pages), else the
     site's root, above the index. */
  const pages = root.dataset.pages || `${base}../`;

  /* ---------- loading index files: <script src>, which works from disk too ---------- */
  function addScript(src) {
    return new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = () => reject(new Error(`Could not load ${src}`));
      document.head.append(script);
    });
  }

  const loaded = new Map();
  const loading = new Map();
  window.ArchiveSearch = {
    load(name, data) { loaded.set(name, data); },
  };

  /* The data of one index file: the file calls ArchiveSearch.load() as it runs, before its
     load event. */
  function need(name) {
    if (!loading.has(name)) {
      loading.set(name, addScript(`${base}${name}.js`).then(
        () => loaded.get(name),
        () => { throw new Error(`the search index is missing ${name}.js`); }));
    }
    return loading.get(name);
  }

  /* The engine and its constants, once its scripts have run (start()). */
  let engine = null;
  let FACETS = [];
  let PHRASE_CHECKS = 0;

  /* ---------- the page ---------- */
  let current = null;
  let shown = 0;
  let latest = null;

  function readState() {
    const params = new URLSearchParams(location.search);
    const filters = {};
    for (const name of FACETS) {
      const values = params.getAll(name);
      if (values.length) filters[name] = values;
    }
    return { q: params.get("q") || "", sort: params.get("sort") || "relevance",
             from: params.get("from") || "", to: params.get("to") || "", filters };
  }

  function addressOf(state) {
    const params = new URLSearchParams();
    if (state.q) params.set("q", state.q);
    for (const [name, values] of Object.entries(state.filters)) {
      for (const value of values) params.append(name, value);
    }
    if (state.from) params.set("from", state.from);
    if (state.to) params.set("to", state.to);
    if (state.sort !== "relevance") params.set("sort", state.sort);
    return location.pathname + (params.toString() ? `?${params}` : "");
  }

  function writeState(state, push) {
    const url = addressOf(state);
    if (url !== location.pathname + location.search) {
      if (push) history.pushState({ shown: 0, scroll: 0 }, "", url);
      else history.replaceState({ shown: 0, scroll: 0 }, "", url);
    }
    keepSearchInLanguageLinks();
  }

  /* How many results are shown and where the page is scrolled, for Back to restore. */
  function remember() {
    history.replaceState({ shown, scroll: window.scrollY }, "", location.href);
  }

  function formState() {
    const filters = {};
    for (const box of facetsBox.querySelectorAll("input[type=checkbox]:checked")) {
      (filters[box.name] ??= []).push(box.value);
    }
    const from = facetsBox.querySelector("select[name=from]");
    const to = facetsBox.querySelector("select[name=to]");
    return { q: input.value, sort: sortSelect.value, from: from ? from.value : latest?.from || "",
             to: to ? to.value : latest?.to || "", filters };
  }

  /* The text around the first hit, its hits marked (`marked`: the engine's hits()). */
  function excerptOf(doc, marked) {
    const { text, start, before, after } = engine.excerpt(doc.text, marked);
    const shown = marking.markMatching(text, (_, n) => marked[start + n]);
    if (before) shown.prepend("… ");
    if (after) shown.append(" …");
    return shown;
  }

  /* What a document behind a content warning shows instead of its text: the warning, in the
     page's words (only the warning's own words are marked). */
  function warningOf(doc, marked) {
    const [before, rest = ""] = (messages.contentWarning ?? "{warning}").split("{warning}");
    /* A warning that ends its own sentence takes no second full stop from the message. */
    const after = /[.!?…]["'”’»)]*$/.test(doc.text.trim()) ? rest.replace(/^\./, "") : rest;
    const note = document.createDocumentFragment();
    note.append(before, marking.markMatching(doc.text, (_, n) => marked[n]), after);
    return note;
  }

  function resultItem(doc, found) {
    const item = templates.result.content.firstElementChild.cloneNode(true);
    const marked = engine.hits(found, doc.language, doc.text);
    const title = engine.hits(found, doc.language, doc.title);
    const link = item.querySelector(".search__title");
    const excerpt = item.querySelector(".search__excerpt");
    const target = new URL(doc.url, new URL(pages, location.href));
    /* The document's page marks these words wherever they are: not the short words of a
       name ("al" of "al-Assad"), which would mark every "al". */
    const words = marking.words(doc.text);
    const hits = new Set(words.filter((word, n) => marked[n] && (word.length > 2
      || !words.some((other, m) => other === word && !marked[m]))));
    for (const word of [...hits].slice(0, 8)) target.searchParams.append("highlight", word);
    link.href = target.href;
    link.append(marking.markMatching(doc.title, (_, n) => title[n]));
    /* The document's own language and direction, whatever the page's (a warning is the
       page's words). */
    for (const element of doc.warned ? [link] : [link, excerpt]) {
      element.lang = doc.language;
      element.dir = engine.meta().languages[doc.language]?.dir || "ltr";
    }
    const time = document.createElement("time");
    time.dateTime = doc.date;
    time.textContent = dates.format(new Date(`${doc.date}T00:00:00Z`));
    item.querySelector(".search__date").append(time);
    item.querySelector(".search__source").textContent = doc.source ? ` · ${doc.source}` : "";
    excerpt.append(doc.warned ? warningOf(doc, marked) : excerptOf(doc, marked));
    return item;
  }

  function entityCard(card) {
    const [facetName, , registryName, url, count, type, , translated] = card;
    const name = engine.nameOf(registryName, translated);
    const box = templates.entity.content.firstElementChild.cloneNode(true);
    const typeLabel = messages[`type.${type}`] ?? type;
    box.querySelector(".search__entity-kind").textContent = `${message(facetName)} · ${typeLabel}`;
    const link = box.querySelector("a");
    link.textContent = name;
    if (url) link.href = new URL(url, new URL(pages, location.href)).href;
    else link.replaceWith(document.createTextNode(name));
    box.querySelector(".search__entity-count").textContent = counted(
      "entityDocument", "entityDocuments", { count });
    return box;
  }

  async function showMore(upTo) {
    const from = shown;
    shown = Math.min(current.ids.length, Math.max(upTo || 0, shown + PAGE_SIZE));
    /* All load at once; each is shown as soon as it and those before it are there. */
    const documents = current.ids.slice(from, shown).map(engine.documentOf);
    for (const doc of documents) list.append(resultItem(await doc, current.found));
    moreButton.hidden = shown >= current.ids.length;
  }

  async function showSuggestions(found) {
    const proposals = await engine.suggestions(found);
    suggestionsLine.textContent = "";
    suggestionsLine.hidden = !proposals.length;
    if (!proposals.length) return;
    suggestionsLine.append(`${message("didYouMean")} `);
    proposals.forEach((text, i) => {
      if (i) suggestionsLine.append(i === proposals.length - 1 ? ` ${message("or")} ` : ", ");
      const link = document.createElement("a");
      link.href = addressOf({ ...latest, q: text });
      link.textContent = text;
      suggestionsLine.append(link);
    });
    suggestionsLine.append("?");
  }

  /* ---------- facets on the page ---------- */
  const filterTexts = {};

  function valueItem(name, value, label, count, checked) {
    const item = templates.value.content.firstElementChild.cloneNode(true);
    const box = item.querySelector("input");
    box.name = name;
    box.value = value;
    box.checked = checked;
    item.querySelector(".search__value").textContent = label;
    item.querySelector(".count").textContent = `(${numbers.format(count)})`;
    item.dataset.text = marking.tokens(label === value ? value : `${label} ${value}`).join(" ");
    return item;
  }

  /* Values as list items; places nested under the place they lie within. */
  function valueList(name, data, counts, chosen) {
    const visible = (i) => counts[i] > 0 || chosen.includes(data.values[i]);
    const order = data.values.map((_, i) => i).filter(visible);
    if (name !== "year") {
      order.sort((a, b) => counts[b] - counts[a] || data.labels[a].localeCompare(data.labels[b], pageLanguage));
    }
    const ul = document.createElement("ul");
    const items = new Map();
    for (const i of order) {
      items.set(i, valueItem(name, data.values[i], data.labels[i], counts[i], chosen.includes(data.values[i])));
    }
    for (const i of order) {
      const parent = data.parents ? data.parents[i] : -1;
      if (parent >= 0 && items.has(parent)) {
        const holder = items.get(parent);
        let nested = holder.querySelector("ul");
        if (!nested) {
          nested = document.createElement("ul");
          holder.append(nested);
        }
        nested.append(items.get(i));
      } else {
        ul.append(items.get(i));
      }
    }
    return [ul, order.length];
  }

  function yearRange(data, state) {
    const holder = document.createElement("p");
    holder.className = "search__range";
    for (const [key, label] of [["from", message("from")], ["to", message("to")]]) {
      const select = document.createElement("select");
      select.name = key;
      select.id = `search-year-${key}`;
      const any = new Option(message("anyYear"), "");
      select.append(any, ...data.values.map((year) => new Option(year, year)));
      select.value = state[key] || "";
      const text = document.createElement("label");
      text.htmlFor = select.id;
      text.textContent = label;
      holder.append(text, " ", select, " ");
    }
    return holder;
  }

  function filterBox(name, fieldset) {
    const box = document.createElement("input");
    box.type = "search";
    box.className = "search__filter-box";
    box.setAttribute("aria-label", message("filterBox", { facet: message(`facet.${name}`) }));
    box.value = filterTexts[name] || "";
    const apply = () => {
      filterTexts[name] = box.value;
      const wanted = marking.tokens(box.value).join(" ");
      for (const item of fieldset.querySelectorAll("li")) {
        item.hidden = Boolean(wanted) && !item.dataset.text.includes(wanted)
          && !item.querySelector(`li[data-text*="${CSS.escape(wanted)}"]`);
      }
    };
    box.addEventListener("input", apply);
    return [box, apply];
  }

  async function renderFacets(state, counts) {
    facetsBox.textContent = "";
    for (const name of engine.facets()) {
      const data = await engine.facet(name);
      const chosen = state.filters[name] || [];
      const [ul, size] = valueList(name, data, counts[name], chosen);
      if (!size) continue;
      const fieldset = document.createElement("fieldset");
      const legend = document.createElement("legend");
      legend.textContent = message(`facet.${name}`);
      fieldset.append(legend);
      if (name === "year") fieldset.append(yearRange(data, state));
      let apply = null;
      if (size > FILTER_BOX_FROM) {
        const [box, filter] = filterBox(name, fieldset);
        fieldset.append(box);
        apply = filter;
      }
      fieldset.append(ul);
      apply?.();
      facetsBox.append(fieldset);
    }
    const active = Object.values(state.filters).flat().length + (state.from ? 1 : 0)
      + (state.to ? 1 : 0);
    clearButton.hidden = !active;
    filtersTitle.textContent = active ? message("filtersActive", { count: active })
      : filtersTitle.dataset.title;
    filtersPanel.hidden = !facetsBox.childNodes.length && !active;
  }

  /* ---------- running a search ---------- */
  function statusText(total, query) {
    const what = query ? message("query", { query }) : message("filtersOnly");
    if (!total) return message("none", { what });
    return counted("one", "many", { what, count: total });
  }

  function showPrompt() {
    statusLine.textContent = message("prompt");
    list.textContent = "";
    entitiesBox.textContent = "";
    suggestionsLine.hidden = true;
    resultsBox.hidden = true;
    filtersPanel.hidden = true;
    moreButton.hidden = true;
  }

  async function run(state, restoreView) {
    const query = state.q.trim();
    if (!query && !engine.constrained(state).length) {
      showPrompt();
      return;
    }
    statusLine.textContent = message("searching");
    const outcome = await engine.search(state);
    if (state !== latest) return;  /* a newer search has started */
    current = outcome;
    shown = 0;
    list.textContent = "";
    entitiesBox.textContent = "";
    const seen = new Set();
    for (const card of outcome.found.cards) {
      if (seen.has(card[2])) continue;
      seen.add(card[2]);
      entitiesBox.append(entityCard(card));
    }
    resultsBox.hidden = !outcome.ids.length && !entitiesBox.childNodes.length;
    await showMore(restoreView?.shown);
    statusLine.textContent = statusText(outcome.ids.length, query);
    if (outcome.found.phraseLimited) {
      statusLine.append(` ${message("phraseLimit", { limit: PHRASE_CHECKS, count: PHRASE_CHECKS })}`);
    }
    root.dataset.state = "shown";
    suggestionsLine.hidden = true;
    if (!outcome.ids.length && query) await showSuggestions(outcome.found);
    const counts = await engine.facetCounts(outcome.candidates, outcome.masksByFacet);
    if (state !== latest) return;
    await renderFacets(state, counts);
    if (restoreView?.scroll) window.scrollTo(0, restoreView.scroll);
    root.dataset.state = "done";
  }

  function fail(error) {
    statusLine.textContent = message("unavailable", { error: error.message });
    root.dataset.state = "failed";
  }

  async function update(push, focus) {
    latest = formState();
    writeState(latest, push);
    root.dataset.state = "searching";
    await run(latest).catch(fail);
    if (focus) refocus(focus);
  }

  /* After the facets are drawn again, focus the control the reader was using. */
  function refocus({ name, value }) {
    const selector = value === undefined ? `select[name="${CSS.escape(name)}"]`
      : `input[name="${CSS.escape(name)}"][value="${CSS.escape(value)}"]`;
    facetsBox.querySelector(selector)?.focus();
  }

  /* Filters written into an address by hand or by another site name a value in any of its
     spellings: each is read as the value it names, and one that names none is said, never
     silently dropped (the address then keeps only what it found). */
  async function resolveFilters(state) {
    const { filters, unknown } = await engine.resolveFilters(state.filters);
    unknownLine.hidden = !unknown.length;
    unknownLine.textContent = unknown.map(({ name, value }) => message("unknownFilter",
      { facet: message(`facet.${name}`), value })).join(" ");
    return { ...state, filters };
  }

  /* The language switch leads to this search, in the other language. */
  function keepSearchInLanguageLinks() {
    for (const link of document.querySelectorAll("a[hreflang]")) {
      const target = new URL(link.href);
      target.search = location.search;
      link.href = target.href;
    }
  }

  async function restore() {
    const saved = await resolveFilters(readState());
    input.value = saved.q;
    sortSelect.value = saved.sort;
    latest = saved;
    const url = addressOf(saved);  // the values found, in place of the spellings given
    if (url !== location.pathname + location.search) history.replaceState(history.state, "", url);
    keepSearchInLanguageLinks();
    root.dataset.state = "searching";
    return run(saved, history.state).catch(fail);
  }

  /* After a live edit the pages are rewritten at once, the index a little later: say so. */
  async function showWhetherStale() {
    const stale = root.querySelector(".search__stale");
    try {
      stale.hidden = (await need("version")) === root.dataset.version;
    } catch {
      stale.hidden = false;
    }
  }

  async function start() {
    statusLine.textContent = message("loading");
    filtersTitle.dataset.title = filtersTitle.textContent;
    history.scrollRestoration = "manual";
    showWhetherStale();
    try {
      /* A script that did not load (search-engine.js, highlight.js, stemmers.js) is said as
         the index's files are: the search is unavailable. */
      if (!window.ArchiveSearchEngine || !marking || !window.ArchiveStemmers) {
        throw new Error("the search scripts did not load");
      }
      ({ FACETS, PHRASE_CHECKS } = window.ArchiveSearchEngine);
      engine = window.ArchiveSearchEngine.create({
        need, highlight: marking, stemmers: window.ArchiveStemmers, language: pageLanguage,
      });
      await engine.open();
      root.dataset.engine = "archive";
      root.dataset.transport = location.protocol === "file:" ? "disk" : "served";
    } catch (error) {
      fail(error);
      return;
    }
    await restore();
  }

  let typing = null;
  input.addEventListener("input", () => {
    clearTimeout(typing);
    typing = setTimeout(() => update(false), 250);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(typing);
    update(true);
  });
  sortSelect.addEventListener("change", () => update(true));
  facetsBox.addEventListener("change", (event) => {
    const control = event.target;
    if (control.classList.contains("search__filter-box")) return;
    const focus = control.type === "checkbox" ? { name: control.name, value: control.value }
      : { name: control.name };
    update(true, focus);
  });
  clearButton.addEventListener("click", () => {
    latest = { ...formState(), filters: {}, from: "", to: "" };
    for (const box of facetsBox.querySelectorAll("input:checked")) box.checked = false;
    for (const select of facetsBox.querySelectorAll("select")) select.value = "";
    writeState(latest, true);
    run(latest).then(() => input.focus()).catch(fail);
  });
  moreButton.addEventListener("click", () => showMore().then(remember).catch(fail));
  let scrolling = null;
  window.addEventListener("scroll", () => {
    clearTimeout(scrolling);
    scrolling = setTimeout(remember, 150);
  });
  window.addEventListener("pagehide", remember);
  window.addEventListener("popstate", () => restore());
  /* Wide screens show the filters beside the results; narrow ones fold them away. */
  const wide = window.matchMedia("(min-width: 48rem)");
  filtersPanel.open = wide.matches;
  wide.addEventListener("change", () => { filtersPanel.open = wide.matches; });

  start();
})();
