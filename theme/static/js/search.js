/* Search page: one interface over two engines.
 *
 * Served over HTTP it uses Pagefind. Opened from disk (file://) browsers refuse module
 * imports and fetch(), so it uses the offline index written by plugins/search/offline.py:
 * plain scripts that call ArchiveSearch.load(), loaded on demand with <script src>.
 * Words are found and marked by highlight.js (window.ArchiveHighlight), which this script
 * loads the same way from beside itself.
 * The query, filters, order and language live in the URL (?q=…&actor=…&sort=…&lang=…), so a
 * search can be bookmarked, shared, and restored with the Back button.
 */
(() => {
  "use strict";

  const FILTERS = [
    ["actor", "Actors"], ["location", "Locations"], ["collection", "Collections"],
    ["year", "Years"], ["publisher", "Sources"], ["language", "Languages"],
  ];
  const PAGE_SIZE = 10;
  const FACET_LIMIT = 12;
  /* Read now: document.currentScript is only set while this script first runs. */
  const HIGHLIGHT_SCRIPT = new URL("highlight.js", document.currentScript.src).href;

  const root = document.querySelector("[data-search]");
  if (!root) return;
  const form = root.querySelector("form");
  const input = form.elements.q;
  const sortSelect = form.elements.sort;
  const languageSelect = form.elements.lang;
  const statusLine = root.querySelector(".search__status");
  const facetsBox = root.querySelector(".search__facets");
  const list = root.querySelector(".search__list");
  const moreButton = root.querySelector(".search__more");
  const languages = JSON.parse(root.dataset.languages);

  /* window.ArchiveHighlight ({tokens, markWords}), once highlight.js has loaded. */
  let marking = null;

  /* A classic script added to the page: works from disk, where import() and fetch() do not. */
  function addScript(src) {
    return new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = () => reject(new Error(`Could not load ${src}`));
      document.head.append(script);
    });
  }

  /* ---------- the offline engine (file://) ---------- */
  const loaded = new Map();
  const loading = new Map();
  window.ArchiveSearch = {
    load(name, data) { loaded.set(name, data); },
  };

  /* The data of one offline index file: the file calls ArchiveSearch.load() as it runs,
     before its load event. */
  function need(base, name) {
    if (!loading.has(name)) {
      loading.set(name, addScript(`${base}${name}.js`).then(
        () => loaded.get(name),
        () => { throw new Error(`The search index is missing ${name}.js`); }));
    }
    return loading.get(name);
  }

  function decodeIds(text) {
    if (!text) return [];
    let id = 0;
    return text.split(",").map((gap) => {
      id += parseInt(gap, 36);
      return id;
    });
  }

  function hex(text) {
    return Array.from(new TextEncoder().encode(text), (byte) => byte.toString(16).padStart(2, "0"))
      .join("");
  }

  async function offlineEngine(base, language) {
    const prefix = `${language}/`;
    const meta = await need(base, `${prefix}meta`);
    const chunks = new Set(meta.prefixes);

    /* Documents containing a word (the last word of a query also matches as a prefix),
       with a relevance score per document. */
    async function postings(word, asPrefix) {
      const scores = new Map();
      const name = hex(Array.from(word).slice(0, 2).join(""));
      if (!chunks.has(name)) return scores;
      const terms = await need(base, `${prefix}terms/${name}`);
      for (const [term, posting] of Object.entries(terms)) {
        if (term !== word && !(asPrefix && term.startsWith(word))) continue;
        const [encodedIds, frequencies] = posting.split("|");
        const ids = decodeIds(encodedIds);
        const idf = Math.log(1 + meta.count / ids.length);
        ids.forEach((id, i) => {
          const tf = Number(frequencies[i]);
          const score = idf * tf / (tf + 1.2);
          scores.set(id, Math.max(scores.get(id) || 0, score));
        });
      }
      return scores;
    }

    async function search(query, filters, sort) {
      const queryWords = marking.tokens(query);
      const maps = await Promise.all(
        queryWords.map((word, i) => postings(word, i === queryWords.length - 1)));
      let scores = null;
      for (const map of maps) {
        if (scores === null) {
          scores = map;
          continue;
        }
        const both = new Map();
        for (const [id, score] of map) if (scores.has(id)) both.set(id, scores.get(id) + score);
        scores = both;
      }
      if (scores === null) {  /* no words: every document, narrowed by the filters */
        scores = new Map();
        for (let id = 0; id < meta.count; id++) scores.set(id, 0);
      }
      for (const [key, values] of Object.entries(filters)) {
        for (const value of values) {
          const allowed = new Set(decodeIds((meta.filters[key] || {})[value]));
          for (const id of scores.keys()) if (!allowed.has(id)) scores.delete(id);
        }
      }
      const ids = Array.from(scores.keys());
      /* Documents are numbered newest first. */
      if (sort === "newest") ids.sort((a, b) => a - b);
      else if (sort === "oldest") ids.sort((a, b) => b - a);
      else ids.sort((a, b) => scores.get(b) - scores.get(a) || a - b);
      const facets = {};
      for (const [key, values] of Object.entries(meta.filters)) {
        facets[key] = {};
        for (const [value, encodedIds] of Object.entries(values)) {
          const count = decodeIds(encodedIds).filter((id) => scores.has(id)).length;
          if (count) facets[key][value] = count;
        }
      }
      const site = new URL(`${base}../`, location.href);
      return {
        total: ids.length,
        facets,
        page: (from, to) => Promise.all(ids.slice(from, to).map(async (id) => {
          const rows = await need(base, `${prefix}docs/${Math.floor(id / meta.chunk)}`);
          const [url, title, date, source, summary] = rows[id % meta.chunk];
          return { url: new URL(url, site).href, title, date, source,
                   excerpt: marking.markWords(summary, queryWords) };
        })),
      };
    }
    return { search, mode: "offline" };
  }

  /* ---------- the Pagefind engine (http/https) ---------- */
  async function pagefindEngine(url, language) {
    /* Pagefind picks its index from <html lang> when it starts; point it at the chosen
       language for that moment only, so the page itself keeps its own language. */
    const html = document.documentElement;
    const pageLanguage = html.lang;
    html.lang = language;
    let pagefind;
    try {
      pagefind = await import(new URL(url, location.href).href);
      await pagefind.options({ excerptLength: 30 });
      await pagefind.init();
      /* Loading the filters once makes every search return its filter counts. */
      await pagefind.filters();
    } finally {
      html.lang = pageLanguage;
    }

    async function search(query, filters, sort) {
      const options = { filters };
      if (sort !== "relevance") options.sort = { date: sort === "oldest" ? "asc" : "desc" };
      const found = await pagefind.search(query.trim() || null, options);
      return {
        total: found.results.length,
        facets: found.filters,
        page: (from, to) => Promise.all(found.results.slice(from, to).map(async (result) => {
          const data = await result.data();
          return { url: new URL(data.url, location.href).href, title: data.meta.title,
                   date: data.meta.date, source: data.meta.source,
                   excerpt: safeExcerpt(data.excerpt) };
        })),
      };
    }
    return { search, mode: "pagefind" };
  }

  /* Pagefind's excerpt is HTML; keep only its text and <mark> elements. */
  function safeExcerpt(excerpt) {
    const parsed = new DOMParser().parseFromString(`<p>${excerpt}</p>`, "text/html");
    const fragment = document.createDocumentFragment();
    for (const node of parsed.body.firstChild.childNodes) {
      if (node.nodeName === "MARK") {
        const mark = document.createElement("mark");
        mark.textContent = node.textContent;
        fragment.append(mark);
      } else {
        fragment.append(document.createTextNode(node.textContent));
      }
    }
    return fragment;
  }

  /* ---------- the page ---------- */
  let engine = null;
  let current = null;
  let shown = 0;
  let latest = null;

  function readState() {
    const params = new URLSearchParams(location.search);
    const filters = {};
    for (const [key] of FILTERS) {
      const values = params.getAll(key);
      if (values.length) filters[key] = values;
    }
    return { q: params.get("q") || "", sort: params.get("sort") || "relevance",
             lang: params.get("lang") || "", filters };
  }

  function writeState(state, push) {
    const params = new URLSearchParams();
    if (state.q) params.set("q", state.q);
    for (const [key, values] of Object.entries(state.filters)) {
      for (const value of values) params.append(key, value);
    }
    if (state.sort !== "relevance") params.set("sort", state.sort);
    if (state.lang) params.set("lang", state.lang);
    const url = location.pathname + (params.toString() ? `?${params}` : "");
    if (url === location.pathname + location.search) return;
    if (push) history.pushState(null, "", url);
    else history.replaceState(null, "", url);
  }

  function chosenLanguage(requested) {
    const codes = languages.map((l) => l.code);
    if (codes.includes(requested)) return requested;
    const reader = (navigator.languages || []).map((l) => l.split("-")[0]);
    return reader.find((code) => codes.includes(code)) ?? codes[0];
  }

  function formState() {
    const selected = {};
    for (const box of facetsBox.querySelectorAll("input:checked")) {
      (selected[box.name] ??= []).push(box.value);
    }
    return { q: input.value, sort: sortSelect.value, lang: languageSelect.value, filters: selected };
  }

  function renderFacets(facets, filters) {
    facetsBox.textContent = "";
    for (const [key, title] of FILTERS) {
      const counts = facets[key] || {};
      const chosen = filters[key] || [];
      const values = Object.keys(counts).sort((a, b) => counts[b] - counts[a] || a.localeCompare(b));
      for (const value of chosen) if (!values.includes(value)) values.unshift(value);
      if (!values.length) continue;
      const fieldset = document.createElement("fieldset");
      const legend = document.createElement("legend");
      legend.textContent = title;
      fieldset.append(legend);
      let more = null;
      values.forEach((value, index) => {
        const label = document.createElement("label");
        const box = document.createElement("input");
        box.type = "checkbox";
        box.name = key;
        box.value = value;
        box.checked = chosen.includes(value);
        const count = document.createElement("span");
        count.className = "count";
        count.textContent = `(${counts[value] || 0})`;
        label.append(box, document.createTextNode(` ${value} `), count);
        if (index >= FACET_LIMIT && !box.checked) {
          if (!more) {
            more = document.createElement("details");
            const summary = document.createElement("summary");
            summary.textContent = `More ${title.toLowerCase()}`;
            more.append(summary);
          }
          more.append(label);
        } else {
          fieldset.append(label);
        }
      });
      if (more) fieldset.append(more);
      facetsBox.append(fieldset);
    }
    root.querySelector(".search__filters").hidden = !facetsBox.childNodes.length;
  }

  function resultItem(result, queryWords) {
    const item = document.createElement("li");
    item.className = "search__result";
    const link = document.createElement("a");
    const target = new URL(result.url);
    for (const word of queryWords) target.searchParams.append("highlight", word);
    link.href = target.href;
    link.className = "search__title";
    link.textContent = result.title;
    const heading = document.createElement("h3");
    heading.append(link);
    const meta = document.createElement("p");
    meta.className = "search__meta";
    const time = document.createElement("time");
    time.dateTime = result.date || "";
    time.textContent = result.date || "";
    meta.append(time, document.createTextNode(result.source ? ` · ${result.source}` : ""));
    const excerpt = document.createElement("p");
    excerpt.className = "search__excerpt";
    excerpt.append(result.excerpt);
    item.append(heading, meta, excerpt);
    return item;
  }

  async function showMore() {
    const queryWords = marking.tokens(current.query);
    const from = shown;
    shown = Math.min(current.found.total, shown + PAGE_SIZE);
    const results = await current.found.page(from, shown);
    for (const result of results) list.append(resultItem(result, queryWords));
    moreButton.hidden = shown >= current.found.total;
  }

  async function run(search) {
    const query = search.q.trim();
    const filtered = Object.keys(search.filters).length > 0;
    if (!query && !filtered) {
      statusLine.textContent = "Type words to find, for example a name or a place.";
      list.textContent = "";
      root.querySelector(".search__results").hidden = true;
      root.querySelector(".search__filters").hidden = true;
      moreButton.hidden = true;
      return;
    }
    statusLine.textContent = "Searching…";
    const found = await engine.search(query, search.filters, search.sort);
    if (search !== latest) return;  /* a newer search has started */
    current = { found, query };
    shown = 0;
    list.textContent = "";
    const what = query ? `“${query}”` : "the chosen filters";
    statusLine.textContent = found.total === 1 ? `1 document for ${what}`
      : `${found.total} documents for ${what}`;
    root.querySelector(".search__results").hidden = found.total === 0;
    renderFacets(found.facets, search.filters);
    await showMore();
  }

  function fail(error) {
    statusLine.textContent = `Search is not available: ${error.message}`;
  }

  function update(push) {
    latest = formState();
    writeState(latest, push);
    return run(latest).catch(fail);
  }

  function restore() {
    const saved = readState();
    input.value = saved.q;
    sortSelect.value = saved.sort;
    latest = saved;
    return run(saved).catch(fail);
  }

  /* After a live edit the pages are rewritten at once, the index a little later: say so. */
  async function showWhetherStale() {
    const stale = root.querySelector(".search__stale");
    try {
      stale.hidden = (await need(root.dataset.offline, "version")) === root.dataset.version;
    } catch {
      stale.hidden = false;
    }
  }

  async function start(language) {
    statusLine.textContent = "Loading the search index…";
    showWhetherStale();
    try {
      await addScript(HIGHLIGHT_SCRIPT);
      marking = window.ArchiveHighlight;
      engine = await (location.protocol === "file:"
        ? offlineEngine(root.dataset.offline, language)
        : pagefindEngine(root.dataset.pagefind, language));
      root.dataset.engine = engine.mode;
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
  facetsBox.addEventListener("change", () => update(true));
  moreButton.addEventListener("click", () => showMore().catch(fail));
  languageSelect.addEventListener("change", () => {
    const next = formState();
    next.filters = {};
    writeState(next, true);
    location.reload();  /* each language has its own index, opened at start */
  });
  window.addEventListener("popstate", () => {
    const saved = readState();
    if (chosenLanguage(saved.lang) !== languageSelect.value) {
      location.reload();
      return;
    }
    restore();
  });

  const language = chosenLanguage(readState().lang);
  if (languages.length > 1) {
    for (const l of languages) {
      const option = document.createElement("option");
      option.value = l.code;
      option.textContent = `${l.name} (${l.count})`;
      option.lang = l.code;
      languageSelect.append(option);
    }
    root.querySelector(".search__languages").hidden = false;
  }
  languageSelect.value = language;
  start(language);
})();
