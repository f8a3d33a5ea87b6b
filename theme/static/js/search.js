/* Search: the archive's one search engine, the same served over HTTP and opened from disk.
 *
 * On every page it sends the header's search box to the search page. On the search page it
 * searches the index written by plugins/search/offline.py: plain scripts that call
 * ArchiveSearch.load(), added with <script src> on demand, which browsers allow from file://
 * as well as over HTTP; so a query finds the same documents in the same order both ways.
 *
 * How a query is answered:
 * - Words are cut and folded (case, accents) by highlight.js and stemmed by stemmers.js, the
 *   Snowball stemmers (English/Porter2, Spanish, French): the same algorithms as Pagefind's,
 *   checked word for word against snowballstemmer 3.1.1 (tests/test_stemmers.py). This
 *   script loads both from the addresses the search page gives it. The index keeps words as
 *   written, accents and all, and a word is stemmed as written (Spanish and French rules
 *   need the accents), the stem folded afterwards. In a document's language L, a word t matches a query word q when
 *   fold(t) = fold(q), or fold(stem(t)) is in S: fold(stem(q)), and fold(stem(t')) for each
 *   word t' of the index folded like q (so "declaree" typed without its accents finds
 *   "déclaré" through the archive's "déclarée"); see stemsOf(). Words of one or two
 *   letters are not stemmed. The same rule checks quoted phrases (in that order) and marks
 *   hits in titles and excerpts. Every word must match (AND): no result lacks a query word,
 *   a word of the same stem or, for a name, the entity it names.
 * - Words that spell an actor or a place (its name, an alias or its name in another
 *   language; longest spelling first) also find the documents tagged with it, and the
 *   entity is shown first, with its page and number of documents.
 * - Ranking is Pagefind's BM25 (see offline.py): each matched word adds IDF × its impact in
 *   the document; a document tagged with a named entity adds the tag's IDF.
 * - All languages are searched at once, in one index. Merge rule: scores are comparable
 *   across languages (each word's IDF is counted among the documents of its own language);
 *   on equal scores, documents in the page's language come first, then the newest.
 * - Facets: OR within a facet, AND across facets; a facet's counts are those the reader
 *   would get by ticking one more value of it.
 * - Each result's title and excerpt carry the document's own language and direction (lang,
 *   dir from meta.js), whatever the page's. The reader's strings come from the template
 *   (data-messages): a string, or its plural forms chosen with Intl.PluralRules. The index,
 *   one for every interface language, holds data where a reader would see words: an
 *   entity's type is a key ("armed group", worded by the message "type.armed group"), its
 *   names in other languages sit beside its name, and a document behind a content warning
 *   has the warning as its text, worded by the message "contentWarning".
 * The query, filters, order and year range live in the URL (?q=…&actor=…&from=…), so a
 * search can be bookmarked and shared; Back also restores how many results were shown and
 * where the page was scrolled.
 */
(() => {
  "use strict";

  /* ---------- every page: the search box in the header ---------- */
  for (const box of document.querySelectorAll("form[data-site-search]")) {
    box.addEventListener("submit", (event) => {
      /* The deployed CSP (form-action 'none') refuses form submissions: navigate instead. */
      event.preventDefault();
      const target = new URL(box.getAttribute("action"), location.href);
      const query = box.elements.q.value.trim();
      if (query) target.searchParams.set("q", query);
      location.href = target.href;
    });
  }

  const root = document.querySelector("[data-search]");
  if (!root) return;

  const FACETS = ["actor", "location", "collection", "year", "publisher", "author", "language"];
  const PAGE_SIZE = 10;
  const FILTER_BOX_FROM = 8;
  const EXCERPT_WORDS = 30;
  const PHRASE_CHECKS = 300;
  /* BM25's largest term-frequency part (K1 + 1 in offline.py) over the 63 impact steps. */
  const IMPACT_SCALE = 2.4 / 63;
  const IMPACTS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  /* How alike a spelling must be to be suggested (archive/model/folding.py::SIMILAR). */
  const SIMILAR = 0.75;
  /* The theme's scripts this one loads: the page names them, as their published names
     change with their content (archive/site/theme_files.py). */
  const HIGHLIGHT_SCRIPT = root.dataset.highlightScript;
  const STEMMERS_SCRIPT = root.dataset.stemmersScript;
  const pageLanguage = document.documentElement.lang;

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

  /* The name of an entity (a card, or a row of entities/names.js) in the page's language:
     its name there, else the registry's. */
  function nameIn(name, names) {
    return names?.[pageLanguage] ?? names?.[pageLanguage.split("-")[0]] ?? name;
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

  /* window.ArchiveHighlight (words, fold, marking) and window.ArchiveStemmers, once loaded. */
  let marking = null;
  let stemmers = null;

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

  /* Document numbers from offline.py::encode_set: base-36 gaps, or '=' and a bitmap. */
  function decodeSet(text) {
    const ids = [];
    if (text.startsWith("=")) {
      const bytes = atob(text.slice(1));
      for (let i = 0; i < bytes.length; i++) {
        let byte = bytes.charCodeAt(i);
        while (byte) {
          const low = byte & -byte;
          ids.push(i * 8 + 31 - Math.clz32(low));
          byte ^= low;
        }
      }
      return ids;
    }
    let id = 0;
    for (const gap of text ? text.split(",") : []) {
      id += parseInt(gap, 36);
      ids.push(id);
    }
    return ids;
  }

  function hex(text) {
    return Array.from(new TextEncoder().encode(text), (byte) => byte.toString(16).padStart(2, "0"))
      .join("");
  }

  /* The file name of the chunk of spellings that start like `word`. */
  function chunkOf(word) {
    return hex(Array.from(word).slice(0, 2).join(""));
  }

  function unhex(name) {
    return new TextDecoder().decode(new Uint8Array(name.match(/../g).map((h) => parseInt(h, 16))));
  }

  /* A language's chunks are named by the first two letters of their words' folded form, or
     by more where a big chunk was split (offline.py::_split). */

  /* The chunk files that may hold the words folded as `folded` (one or two letters: its own). */
  function chunksOf(folded, chunks) {
    return chunks.filter((p) => p.text === folded.slice(0, 2)
      || (folded.startsWith(p.text) && p.text.length > 1)).map((p) => p.hex);
  }

  /* The chunk files that may hold words starting with `start`. */
  function chunksStarting(start, chunks) {
    return chunks.filter((p) => (start.startsWith(p.text) && p.text.length > 1)
      || p.text.startsWith(start)).map((p) => p.hex);
  }

  /* ---------- words and stems ---------- */
  const folds = new Map();
  const stems = new Map();

  /* A word (lower case, accents kept) without its accents. */
  function fold(word) {
    if (!folds.has(word)) folds.set(word, marking.fold(word));
    return folds.get(word);
  }

  /* The stem of a word as written (the Snowball stemmers need its accents), folded; the word
     folded in a language without a stemmer. */
  function stem(word, language) {
    const key = `${language}:${word}`;
    if (!stems.has(key)) stems.set(key, fold(stemmers.stem(word, language)));
    return stems.get(key);
  }

  /* A query word: as written and folded. */
  function queryWord(written) {
    return { written, folded: fold(written) };
  }

  /* Stemming is for words of three letters or more: a shorter one (de, la, is) would bring
     in thousands of words for little ("de" → "des"); it matches the words folded alike. */
  function stemmed(word) {
    return word.folded.length > 2;
  }

  /* ---------- the index ---------- */
  let meta = null;
  let languageOf = null;  /* document number -> its language code */

  async function openIndex() {
    meta = await need("meta");
    languageOf = new Array(meta.count);
    for (const [code, language] of Object.entries(meta.languages)) {
      for (const id of decodeSet(language.docs)) languageOf[id] = code;
      language.chunks = language.prefixes.map((name) => ({ hex: name, text: unhex(name) }));
    }
  }

  function idf(documents, containing) {
    return Math.log((documents - containing + 0.5) / (containing + 0.5) + 1);
  }

  /* Scores are arrays indexed by document number: 0 where a document does not match. */
  function addScores(into, from) {
    for (let id = 0; id < into.length; id++) into[id] += from[id];
    return into;
  }

  function matching(scores) {
    const ids = [];
    for (let id = 0; id < scores.length; id++) if (scores[id] > 0) ids.push(id);
    return ids;
  }

  /* The index files where a query word's matches in one language may be: its own chunk
     and, for each of `wanted` (stems), the chunks of the words starting like them. */
  function filesFor(word, wanted, code, language) {
    const names = new Set(chunksOf(word.folded, language.chunks));
    for (const start of [...wanted].flatMap((s) => stemmers.starts(s, code))) {
      for (const name of chunksStarting(start, language.chunks)) names.add(name);
    }
    return [...names].map((name) => `${code}/terms/${name}`);
  }

  /* Start loading every file a query may need at once, rather than one after another. */
  function prefetch(query) {
    for (const word of marking.words(query.replaceAll('"', " ")).map(queryWord)) {
      const chunk = chunkOf(word.folded);
      if (meta.entities.includes(chunk)) need(`entities/${chunk}`).catch(() => {});
      for (const [code, language] of Object.entries(meta.languages)) {
        const wanted = stemmed(word) ? [stem(word.written, code)] : [];
        for (const file of filesFor(word, wanted, code, language)) need(file).catch(() => {});
      }
    }
  }

  /* The rule for one query word in one language: a word t of the index matches query word q
     when fold(t) = fold(q), or when stem(t), folded, is one of S: q's stem, and the stems of
     the index's words folded like q (so "declaree", typed without its accents, finds
     "déclaré" through the archive's "déclarée": "declaree" alone stems to "declare").
     Returns S, the starts of its words and the chunks loaded to find them. */
  async function stemsOf(word, code, language) {
    const wanted = new Set(stemmed(word) ? [stem(word.written, code)] : []);
    const loaded = new Map();
    for (;;) {
      const files = filesFor(word, wanted, code, language).filter((file) => !loaded.has(file));
      if (!files.length) break;
      const chunks = await Promise.all(files.map(need));
      files.forEach((file, i) => loaded.set(file, chunks[i]));
      if (!stemmed(word)) break;
      for (const term of chunks.flatMap(Object.keys)) {
        if (fold(term) === word.folded) wanted.add(stem(term, code));
      }
    }
    const starts = [...wanted].flatMap((s) => stemmers.starts(s, code));
    return { wanted, starts, chunks: [...loaded.values()] };
  }

  /* Does `term` (as written) match the query word folded as `folded` in `language`? */
  function matches(found, language, folded, term) {
    if (fold(term) === folded) return true;
    const wanted = found.stems[language]?.get(folded);
    return Boolean(wanted?.size) && wanted.has(stem(term, language));
  }

  /* Documents with the word or a word of the same stem in their language, scored. */
  async function findWord(word, found) {
    const scores = new Float64Array(meta.count);
    await Promise.all(Object.entries(meta.languages).map(async ([code, language]) => {
      const { wanted, starts, chunks } = await stemsOf(word, code, language);
      found.chunks.push(...chunks);
      found.stems[code] ??= new Map();
      const known = found.stems[code].get(word.folded);  /* the same word typed twice */
      found.stems[code].set(word.folded, known ? new Set([...known, ...wanted]) : wanted);
      for (const [term, posting] of chunks.flatMap(Object.entries)) {
        const folded = fold(term);
        if (folded !== word.folded && !(starts.some((start) => folded.startsWith(start))
            && wanted.has(stem(term, code)))) continue;
        const [encoded, impacts] = posting.split("|");
        const ids = decodeSet(encoded);
        const weight = idf(language.count, ids.length) * IMPACT_SCALE;
        ids.forEach((id, i) => {
          scores[id] += weight * IMPACTS.indexOf(impacts[i]);
        });
      }
    }));
    return scores;
  }

  /* Documents with every word of `words`, their scores summed. */
  async function findAll(words, found) {
    const maps = await Promise.all(words.map((word) => findWord(word, found)));
    return intersect(maps);
  }

  /* The documents every clause matched, with their scores summed. */
  function intersect(maps) {
    const both = new Float64Array(meta.count);
    for (let id = 0; id < both.length; id++) {
      let total = 0;
      for (const map of maps) {
        if (!map[id]) {
          total = 0;
          break;
        }
        total += map[id];
      }
      both[id] = total;
    }
    return both;
  }

  /* The query as clauses: quoted phrases and words ({written, folded}), each word run that
     spells an entity. */
  function parseQuery(query) {
    const clauses = [];
    const parts = query.split('"');
    parts.forEach((part, i) => {
      const typed = marking.split(part).filter((_, n) => n % 2);
      const words = typed.map((word) => queryWord(word.toLowerCase()));
      if (!words.length) return;
      if (i % 2 === 1 && words.length > 1) {
        clauses.push({ phrase: words });
        return;
      }
      words.forEach((word, n) => {
        clauses.push({ words: [word], capitals: typed[n] === typed[n].toUpperCase() });
      });
    });
    return clauses;
  }

  /* A one- or two-letter spelling ("IS", "EI") names an entity only in capitals: typed in
     lower case it is the common word. */
  function mayName(words, clauses) {
    return words.length > 1 || words[0].folded.length > 2 || clauses[0].capitals;
  }

  /* Entity cards for a spelling (words, compared folded), if the index has any. */
  async function spelled(words) {
    const spelling = words.map((word) => word.folded).join(" ");
    const chunk = chunkOf(spelling);
    if (!meta.entities.includes(chunk)) return [];
    return (await need(`entities/${chunk}`))[spelling] || [];
  }

  /* Merge each longest run of word clauses that spells an entity into one entity clause. */
  async function recogniseEntities(clauses) {
    const out = [];
    let i = 0;
    while (i < clauses.length) {
      const clause = clauses[i];
      let taken = 0;
      const runs = [];
      if (clause.phrase) runs.push([clause.phrase, 1]);
      else {
        let end = i;
        while (end < clauses.length && clauses[end].words && end - i < 6) end++;
        for (let stop = end; stop > i; stop--) {
          runs.push([clauses.slice(i, stop).map((c) => c.words[0]), stop - i]);
        }
      }
      for (const [words, length] of runs) {
        if (!clause.phrase && !mayName(words, clauses.slice(i, i + length))) continue;
        const cards = await spelled(words);
        if (!cards.length) continue;
        out.push({ words, entities: cards, phrase: clause.phrase });
        taken = length;
        break;
      }
      if (!taken) {
        out.push(clause);
        taken = 1;
      }
      i += taken;
    }
    return out;
  }

  /* The documents tagged with an entity, scored as one mention of its name. */
  async function tagged(card) {
    const [facet, index] = card;
    const ids = decodeSet(await need(`filters/${facet}/${index}`));
    const weight = idf(meta.count, ids.length);
    const scores = new Float64Array(meta.count);
    for (const id of ids) scores[id] = weight;
    return scores;
  }

  async function evaluate(clause, found) {
    const words = clause.phrase || clause.words;
    const text = await findAll(words, found);
    if (clause.phrase && !clause.entities) found.phrases.push(clause.phrase);
    if (!clause.entities) return text;
    for (const word of words) found.exact.add(word.folded);
    /* Mark the entity's other spellings too (not its short words: "al", "de"). */
    for (const card of clause.entities) {
      for (const word of card[6].join(" ").split(" ")) if (word.length > 3) found.exact.add(word);
    }
    const union = Float64Array.from(text);
    for (const card of clause.entities) addScores(union, await tagged(card));
    return union;
  }

  /* The documents matching a query: {scores (by document number, 0 for no match), cards,
     and what marks a hit in a document's text}. */
  async function find(query) {
    const found = { cards: [], stems: {}, exact: new Set(), phrases: [], chunks: [] };
    prefetch(query);
    const clauses = await recogniseEntities(parseQuery(query));
    found.words = clauses.flatMap((c) => c.phrase || c.words).map((word) => word.folded);
    const maps = await Promise.all(clauses.map((clause) => evaluate(clause, found)));
    found.cards = clauses.flatMap((clause) => clause.entities || []);
    found.scores = intersect(maps);
    if (found.phrases.length) await keepPhrases(found);
    return found;
  }

  /* Does a word (lower case, as written) of a document in `language` count as a hit for
     this query? An entity's spelling, or a match of a query word (matches()). */
  function hitIn(found, language) {
    return (word) => found.exact.has(fold(word))
      || found.words.some((folded) => matches(found, language, folded, word));
  }

  /* Quoted words must follow each other: check the candidates' texts, the most relevant
     first, at most PHRASE_CHECKS of them (each is a file to load). */
  async function keepPhrases(found) {
    const scores = found.scores;
    const ranked = matching(scores).sort((a, b) => scores[b] - scores[a] || a - b);
    const ids = ranked.slice(0, PHRASE_CHECKS);
    for (const id of ranked.slice(PHRASE_CHECKS)) scores[id] = 0;
    found.phraseLimited = ranked.length > PHRASE_CHECKS;
    const documents = [];
    for (let start = 0; start < ids.length; start += 50) {
      documents.push(...await Promise.all(ids.slice(start, start + 50).map(documentOf)));
    }
    ids.forEach((id, n) => {
      const language = documents[n].language;
      const words = marking.words(`${documents[n].title} ${documents[n].text}`);
      const ok = found.phrases.every((phrase) => words.some((_, at) => phrase.every(
        (word, k) => at + k < words.length && matches(found, language, word.folded, words[at + k]))));
      if (!ok) scores[id] = 0;
    });
  }

  /* A document of the index; `warned`: its text is the content warning it is behind. */
  async function documentOf(id) {
    const [url, title, date, source, language, text, warned] = await need(`docs/${id}`);
    return { url, title, date, source, language, text, warned: Boolean(warned) };
  }

  /* ---------- facets ---------- */
  const facetData = new Map();

  async function facet(name) {
    if (!facetData.has(name)) {
      facetData.set(name, need(`filters/${name}`).then((data) => {
        /* Each value as readers of the page's language know it (the value stays what
           the address and the index name it by). */
        const own = data.labels?.[pageLanguage];
        /* Every way an address may name a value, folded: the value, its names in every
           language, its key, its aliases (`?collection=syria-war`, `?actor=OTAN`). */
        const named = new Map();
        data.values.forEach((value, i) => {
          const spellings = [value, ...(data.spellings?.[i] ?? [])];
          for (const labels of Object.values(data.labels ?? {})) spellings.push(labels[i] ?? value);
          for (const spelling of spellings) named.set(marking.tokens(spelling).join(" "), value);
        });
        return {
          values: data.values,
          labels: data.values.map((value, i) => own?.[i] ?? value),
          parents: data.parents,
          ids: data.ids.map(decodeSet),
          named,
        };
      }));
    }
    return facetData.get(name);
  }

  /* The documents a facet's selection allows (a Uint8Array mask), or null if it has none. */
  async function allowedBy(name, state) {
    let chosen = state.filters[name] || [];
    const data = await facet(name);
    if (name === "year" && (state.from || state.to)) {
      const inRange = data.values.filter((year) => (!state.from || year >= state.from)
        && (!state.to || year <= state.to));
      chosen = chosen.length ? chosen.filter((y) => inRange.includes(y)) : inRange;
      if (!chosen.length) return new Uint8Array(meta.count);
    }
    if (!chosen.length) return null;
    const mask = new Uint8Array(meta.count);
    data.values.forEach((value, i) => {
      if (chosen.includes(value)) for (const id of data.ids[i]) mask[id] = 1;
    });
    return mask;
  }

  function constrained(state) {
    return FACETS.filter((name) => meta.facets.includes(name)
      && ((state.filters[name] || []).length || (name === "year" && (state.from || state.to))));
  }

  async function masks(state) {
    const out = {};
    for (const name of constrained(state)) out[name] = await allowedBy(name, state);
    return out;
  }

  function passes(id, masksByFacet, except) {
    for (const [name, mask] of Object.entries(masksByFacet)) {
      if (name !== except && !mask[id]) return false;
    }
    return true;
  }

  /* Each facet value's count: the documents it would add were it ticked too. */
  async function facetCounts(candidates, masksByFacet) {
    const counts = {};
    for (const name of FACETS.filter((n) => meta.facets.includes(n))) {
      const data = await facet(name);
      const base = new Uint8Array(meta.count);
      for (const id of candidates) if (passes(id, masksByFacet, name)) base[id] = 1;
      counts[name] = data.ids.map((ids) => ids.reduce((n, id) => n + base[id], 0));
    }
    return counts;
  }

  /* ---------- one search: query, filters, order ---------- */
  async function search(state) {
    const found = state.q.trim() ? await find(state.q)
      : { cards: [], scores: null, words: [], stems: {}, exact: new Set() };
    const candidates = found.scores ? matching(found.scores)
      : Array.from({ length: meta.count }, (_, id) => id);
    const masksByFacet = await masks(state);
    const ids = candidates.filter((id) => passes(id, masksByFacet, null));
    const score = (id) => Math.round((found.scores ? found.scores[id] : 0) * 1e6);
    if (state.sort === "oldest") ids.sort((a, b) => b - a);
    else if (state.sort === "newest" || !found.scores) ids.sort((a, b) => a - b);
    else {
      ids.sort((a, b) => score(b) - score(a)
        || (languageOf[b] === pageLanguage) - (languageOf[a] === pageLanguage) || a - b);
    }
    return { found, ids, candidates, masksByFacet };
  }

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

  function excerptOf(doc, isHit) {
    const parts = marking.split(doc.text);
    let words = 0;
    let first = -1;
    const wordAt = [];
    parts.forEach((part, i) => {
      if (i % 2 === 0) return;
      wordAt.push(i);
      if (first < 0 && isHit(part.toLowerCase())) first = words;
      words++;
    });
    const start = Math.max(0, (first < 0 ? 0 : first) - 8);
    const end = Math.min(words, start + EXCERPT_WORDS);
    const from = start ? wordAt[start] : 0;
    const to = end < words ? wordAt[end - 1] + 1 : parts.length;
    const text = `${start ? "… " : ""}${parts.slice(from, to).join("").trim()}${end < words ? " …" : ""}`;
    return marking.markMatching(text, isHit);
  }

  /* What a document behind a content warning shows instead of its text: the warning, in the
     page's words (only the warning's own words are marked). */
  function warningOf(doc, isHit) {
    const [before, rest = ""] = (messages.contentWarning ?? "{warning}").split("{warning}");
    /* A warning that ends its own sentence takes no second full stop from the message. */
    const after = /[.!?…]["'”’»)]*$/.test(doc.text.trim()) ? rest.replace(/^\./, "") : rest;
    const note = document.createDocumentFragment();
    note.append(before, marking.markMatching(doc.text, isHit), after);
    return note;
  }

  function resultItem(doc, found) {
    const item = templates.result.content.firstElementChild.cloneNode(true);
    const isHit = hitIn(found, doc.language);
    const link = item.querySelector(".search__title");
    const excerpt = item.querySelector(".search__excerpt");
    const target = new URL(doc.url, new URL(pages, location.href));
    const hits = new Set(marking.words(doc.text).filter(isHit));
    for (const word of [...hits].slice(0, 8)) target.searchParams.append("highlight", word);
    link.href = target.href;
    link.append(marking.markMatching(doc.title, isHit));
    /* The document's own language and direction, whatever the page's (a warning is the
       page's words). */
    for (const element of doc.warned ? [link] : [link, excerpt]) {
      element.lang = doc.language;
      element.dir = meta.languages[doc.language]?.dir || "ltr";
    }
    const time = document.createElement("time");
    time.dateTime = doc.date;
    time.textContent = dates.format(new Date(`${doc.date}T00:00:00Z`));
    item.querySelector(".search__date").append(time);
    item.querySelector(".search__source").textContent = doc.source ? ` · ${doc.source}` : "";
    excerpt.append(doc.warned ? warningOf(doc, isHit) : excerptOf(doc, isHit));
    return item;
  }

  function entityCard(card) {
    const [facetName, , registryName, url, count, type, , translated] = card;
    const name = nameIn(registryName, translated);
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
    const documents = current.ids.slice(from, shown).map(documentOf);
    for (const doc of documents) list.append(resultItem(await doc, current.found));
    moreButton.hidden = shown >= current.ids.length;
  }

  /* ---------- "did you mean": registry names and index words like the query ---------- */
  function distance(a, b) {
    let row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      const next = [i];
      for (let j = 1; j <= b.length; j++) {
        next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      }
      row = next;
    }
    return row[b.length];
  }

  function likeness(a, b) {
    return 1 - distance(a, b) / Math.max(a.length, b.length, 1);
  }

  async function suggestions(found) {
    const wanted = found.words.join(" ");
    const names = await need("entities/names");
    const scored = [];
    for (const [registryName, translated, ...spellings] of names) {
      const name = nameIn(registryName, translated);
      let best = 0;
      for (const spelling of spellings) {
        const parts = found.words.length === 1 ? [spelling, ...spelling.split(" ")] : [spelling];
        for (const part of parts) best = Math.max(best, likeness(wanted, part));
      }
      if (best >= SIMILAR && best < 1) scored.push([best, name]);
    }
    scored.sort((a, b) => b[0] - a[0] || a[1].localeCompare(b[1]));
    const out = scored.slice(0, 3).map(([, name]) => name);
    for (const word of found.words) {
      const close = new Map();  /* folded → [distance, -postings, the word as written] */
      for (const terms of found.chunks) {
        for (const [term, posting] of Object.entries(terms)) {
          const d = distance(word, fold(term));
          const known = close.get(fold(term));
          if (d > 0 && d <= (word.length > 5 ? 2 : 1) && (!known || known[1] > -posting.length)) {
            close.set(fold(term), [d, -posting.length, term]);
          }
        }
      }
      const closest = [...close.values()]
        .sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2].localeCompare(b[2]));
      for (const [, , term] of closest.slice(0, 2)) {
        const fixed = found.words.map((w) => (w === word ? term : w)).join(" ");
        if (!out.includes(fixed)) out.push(fixed);
      }
    }
    return out.slice(0, 5);
  }

  async function showSuggestions(found) {
    const proposals = await suggestions(found);
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
    for (const name of FACETS.filter((n) => meta.facets.includes(n))) {
      const data = await facet(name);
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
    if (!query && !constrained(state).length) {
      showPrompt();
      return;
    }
    statusLine.textContent = message("searching");
    const outcome = await search(state);
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
    const counts = await facetCounts(outcome.candidates, outcome.masksByFacet);
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
    const filters = {};
    const unknown = [];
    for (const [name, values] of Object.entries(state.filters)) {
      if (!meta.facets.includes(name)) {
        unknown.push(...values.map((value) => ({ name, value })));
        continue;
      }
      const data = await facet(name);
      for (const given of values) {
        const value = data.values.includes(given) ? given
          : data.named.get(marking.tokens(given).join(" "));
        if (value === undefined) unknown.push({ name, value: given });
        else if (!(filters[name] ??= []).includes(value)) filters[name].push(value);
      }
    }
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
      await Promise.all([addScript(HIGHLIGHT_SCRIPT), addScript(STEMMERS_SCRIPT), openIndex()]);
      marking = window.ArchiveHighlight;
      stemmers = window.ArchiveStemmers;
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
