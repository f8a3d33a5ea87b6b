/* The search engine: it reads the index, matches a query, ranks the documents and chooses
 * their excerpts. It knows no page: search.js (the search page) gives it a way to load index
 * files and draws what it finds; tests/search_engine.test.mjs runs it under Node on a golden
 * index. The index's format, this engine's half of it and the writer's half
 * (plugins/search/offline.py), is specified once, in docs/search-index.md; `FORMAT` is its
 * version, which meta.js carries and `open()` checks.
 *
 * A classic script, not a module: pages opened from disk (file://) refuse modules. It sets
 * window.ArchiveSearchEngine, as highlight.js and stemmers.js set theirs; Node runs all
 * three in a context whose `window` receives them (tests/search_engine.test.mjs).
 *
 * How it answers a query (matching, names, ranking, languages, facets): docs/search-index.md,
 * "How the engine answers a query". Every byte here is loaded before the first results.
 */
(() => {
  "use strict";

  /* The version of docs/search-index.md this engine reads (offline.py::FORMAT). */
  const FORMAT = 2;
  /* The facets, in the order the search page shows them. */
  const FACETS = ["actor", "location", "collection", "year", "publisher", "author", "language"];
  /* Quoted phrases are checked in at most this many documents' texts (one file each). */
  const PHRASE_CHECKS = 300;
  /* Words in an excerpt, and how many before its first hit. */
  const EXCERPT_WORDS = 30;
  const EXCERPT_LEAD = 8;
  /* BM25's k1 (offline.py::K1): the largest term-frequency part is K1 + 1, over 63 steps. */
  const K1 = 1.4;
  const IMPACT_SCALE = (K1 + 1) / 63;
  const IMPACTS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  /* How alike a spelling must be to be suggested (archive/model/folding.py::SIMILAR). */
  const SIMILAR = 0.75;

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

  /* The file name of the chunk that holds what starts like `word` (offline.py::chunk_name). */
  function chunkOf(word) {
    return hex(Array.from(word).slice(0, 2).join(""));
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

  /* The documents every clause matched, with their scores summed. */
  function intersect(maps, count) {
    const both = new Float64Array(count);
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

  /* The name of an entity (a card, or a row of entities/names.js) in `language`: its name
     there, else the registry's. */
  function nameIn(name, names, language) {
    return names?.[language] ?? names?.[language.split("-")[0]] ?? name;
  }

  /* An engine over one index.
     - need(name): a promise of the data of index file `name` ("meta", "docs/3", …);
     - highlight: highlight.js's ArchiveHighlight (words, split, fold, tokens);
     - stemmers: stemmers.js's ArchiveStemmers (stem, starts);
     - language: the page's language, which names entities and facet values and comes first
       among equally relevant documents. */
  function create({ need, highlight, stemmers, language = "" }) {
    const folds = new Map();
    const stems = new Map();
    let meta = null;
    let languageOf = null;  /* document number -> its language code */

    /* A word (lower case, accents kept) without its accents. */
    function fold(word) {
      if (!folds.has(word)) folds.set(word, highlight.fold(word));
      return folds.get(word);
    }

    /* The stem of a word as written (the Snowball stemmers need its accents), folded; the
       word folded in a language without a stemmer. */
    function stem(word, code) {
      const key = `${code}:${word}`;
      if (!stems.has(key)) stems.set(key, fold(stemmers.stem(word, code)));
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

    /* Load meta.js, which every search needs; refuse an index of another format. */
    async function open() {
      meta = await need("meta");
      if (meta.format !== FORMAT) {
        throw new Error(`the search index is in format ${meta.format ?? 0}, this page reads ${FORMAT}: rebuild the site`);
      }
      languageOf = new Array(meta.count);
      for (const [code, entry] of Object.entries(meta.languages)) {
        for (const id of decodeSet(entry.docs)) languageOf[id] = code;
        entry.chunks = entry.prefixes.split(" ").filter(Boolean)
          .map((text) => ({ hex: hex(text), text }));
      }
      return meta;
    }

    /* The index files where a query word's matches in one language may be: its own chunk
       and, for each of `wanted` (stems), the chunks of the words starting like them. */
    function filesFor(word, wanted, code, entry) {
      const names = new Set(chunksOf(word.folded, entry.chunks));
      for (const start of [...wanted].flatMap((s) => stemmers.starts(s, code))) {
        for (const name of chunksStarting(start, entry.chunks)) names.add(name);
      }
      return [...names].map((name) => `${code}/terms/${name}`);
    }

    /* Start loading every file a query may need at once, rather than one after another. */
    function prefetch(query) {
      for (const word of highlight.words(query.replaceAll('"', " ")).map(queryWord)) {
        const chunk = chunkOf(word.folded);
        if (meta.entities.includes(chunk)) need(`entities/${chunk}`).catch(() => {});
        for (const [code, entry] of Object.entries(meta.languages)) {
          const wanted = stemmed(word) ? [stem(word.written, code)] : [];
          for (const file of filesFor(word, wanted, code, entry)) need(file).catch(() => {});
        }
      }
    }

    /* The rule for one query word in one language: a word t of the index matches query word
       q when fold(t) = fold(q), or when stem(t), folded, is one of S: q's stem, and the
       stems of the index's words folded like q (so "declaree", typed without its accents,
       finds "déclaré" through the archive's "déclarée": "declaree" alone stems to
       "declare"). Returns S, the starts of its words and the chunks loaded to find them. */
    async function stemsOf(word, code, entry) {
      const wanted = new Set(stemmed(word) ? [stem(word.written, code)] : []);
      const loaded = new Map();
      for (;;) {
        const files = filesFor(word, wanted, code, entry).filter((file) => !loaded.has(file));
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

    /* Does `term` (as written) match the query word folded as `folded` in language `code`? */
    function matches(found, code, folded, term) {
      if (fold(term) === folded) return true;
      const wanted = found.stems[code]?.get(folded);
      return Boolean(wanted?.size) && wanted.has(stem(term, code));
    }

    /* Add a posting's documents to `scores`: the word's IDF in its language × its impact. */
    function addPosting(scores, posting, entry) {
      const [encoded, impacts] = posting.split("|");
      const ids = decodeSet(encoded);
      const weight = idf(entry.count, ids.length) * IMPACT_SCALE;
      ids.forEach((id, i) => {
        scores[id] += weight * IMPACTS.indexOf(impacts[i]);
      });
    }

    /* Documents with the word or a word of the same stem in their language, scored. */
    async function findWord(word, found) {
      const scores = new Float64Array(meta.count);
      await Promise.all(Object.entries(meta.languages).map(async ([code, entry]) => {
        const { wanted, starts, chunks } = await stemsOf(word, code, entry);
        found.chunks.push(...chunks);
        found.stems[code] ??= new Map();
        const known = found.stems[code].get(word.folded);  /* the same word typed twice */
        found.stems[code].set(word.folded, known ? new Set([...known, ...wanted]) : wanted);
        for (const [term, posting] of chunks.flatMap(Object.entries)) {
          const folded = fold(term);
          if (folded !== word.folded && !(starts.some((start) => folded.startsWith(start))
              && wanted.has(stem(term, code)))) continue;
          addPosting(scores, posting, entry);
        }
      }));
      return scores;
    }

    /* Documents with every word of `words`, their scores summed. */
    async function findAll(words, found) {
      const maps = await Promise.all(words.map((word) => findWord(word, found)));
      return intersect(maps, meta.count);
    }

    /* The query as clauses: quoted phrases and words ({written, folded}). */
    function parseQuery(query) {
      const clauses = [];
      const parts = query.split('"');
      parts.forEach((part, i) => {
        const typed = highlight.split(part).filter((_, n) => n % 2);
        /* A word that folds to nothing (a lone tatweel, "ـ") can match nothing: not a word. */
        const words = typed.map((word) => queryWord(word.toLowerCase()))
          .filter((word) => word.folded);
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
          while (end < clauses.length && clauses[end].words && end - i < meta.longest) end++;
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
      const [facetName, index] = card;
      const ids = decodeSet(await need(`filters/${facetName}/${index}`));
      const weight = idf(meta.count, ids.length);
      const scores = new Float64Array(meta.count);
      for (const id of ids) scores[id] = weight;
      return scores;
    }

    /* The documents whose title or text has one of an entity's spellings, whole
       (offline.py::_mention_files), scored as BM25 scores a word among all documents. */
    async function mentioned(card) {
      const [facetName, index] = card;
      const scores = new Float64Array(meta.count);
      addPosting(scores, await need(`mentions/${facetName}/${index}`), meta);
      return scores;
    }

    /* The documents an entity clause finds: those tagged with one of its entities and those
       that mention one (tagged or not), scored as one mention of the tag plus the mentions.
       What marks a hit is a whole spelling: the words typed, or any of the entities'. */
    async function findEntities(clause, found) {
      const union = new Float64Array(meta.count);
      for (const card of clause.entities) {
        addScores(union, await tagged(card));
        addScores(union, await mentioned(card));
      }
      const typed = clause.words.map((word) => word.folded).join(" ");
      if (!clause.entities.some((card) => card[6].includes(typed))) {
        /* An ending ("al-Assad"), which no mention was counted by: its words where they
           stand together, as a quoted phrase is found. */
        const text = await findAll(clause.words, found);
        if (clause.words.length > 1) await keepRun(text, clause.words, union, found);
        addScores(union, text);
      }
      for (const spelling of [typed, ...clause.entities.flatMap((card) => card[6])]) {
        if (spelling.includes(" ")) found.runs.add(spelling);
        else if (spelling.length > 2) found.exact.add(spelling);
      }
      return union;
    }

    async function evaluate(clause, found) {
      if (clause.entities) return findEntities(clause, found);
      const words = clause.phrase || clause.words;
      found.free.push(...words.map((word) => word.folded));
      if (clause.phrase) found.phrases.push(clause.phrase);
      return findAll(words, found);
    }

    /* The documents matching a query: {scores (by document number, 0 for no match), cards,
       and what marks a hit in a document's text}. */
    async function find(query) {
      const found = {
        cards: [], stems: {}, exact: new Set(), runs: new Set(), free: [], phrases: [], chunks: [],
      };
      prefetch(query);
      const clauses = await recogniseEntities(parseQuery(query));
      found.words = clauses.flatMap((c) => c.phrase || c.words).map((word) => word.folded);
      const maps = await Promise.all(clauses.map((clause) => evaluate(clause, found)));
      found.cards = clauses.flatMap((clause) => clause.entities || []);
      found.scores = intersect(maps, meta.count);
      if (found.phrases.length) await keepPhrases(found);
      return found;
    }

    /* Which words of `text` (a title or a text in language `code`; words as highlight.js
       splits them) are hits for this query, as an array of booleans: a match of a word the
       reader typed (matches()), or a whole spelling of a named entity: one word
       (found.exact), or a run of words (found.runs: "al-Assad", "Deir ez-Zor", never "al" or
       "ez" alone). */
    function hits(found, code, text) {
      const words = highlight.words(text);
      const folded = words.map(fold);
      const marked = words.map((word, n) => found.exact.has(folded[n])
        || found.free.some((free) => matches(found, code, free, word)));
      for (const spelling of found.runs) {
        const run = spelling.split(" ");
        for (let at = 0; at + run.length <= folded.length; at++) {
          if (run.every((word, k) => folded[at + k] === word)) marked.fill(true, at, at + run.length);
        }
      }
      return marked;
    }

    /* Does a document's title or text have the words of `phrase` one after the other? */
    function hasRun(doc, phrase, found) {
      const words = highlight.words(`${doc.title} ${doc.text}`);
      return words.some((_, at) => phrase.every((word, k) => at + k < words.length
        && matches(found, doc.language, word.folded, words[at + k])));
    }

    /* The texts of the documents `scores` finds, the most relevant first, at most
       PHRASE_CHECKS of them (each is a file to load) and none of `known` (already found):
       a document beyond them is dropped, and the search says so. */
    async function candidateTexts(scores, found, known = null) {
      const ranked = matching(scores).filter((id) => !known?.[id])
        .sort((a, b) => scores[b] - scores[a] || a - b);
      for (const id of ranked.slice(PHRASE_CHECKS)) scores[id] = 0;
      if (ranked.length > PHRASE_CHECKS) found.phraseLimited = true;
      const ids = ranked.slice(0, PHRASE_CHECKS);
      const documents = [];
      for (let start = 0; start < ids.length; start += 50) {
        documents.push(...await Promise.all(ids.slice(start, start + 50).map(documentOf)));
      }
      return ids.map((id, n) => [id, documents[n]]);
    }

    /* Quoted words must follow each other. */
    async function keepPhrases(found) {
      for (const [id, doc] of await candidateTexts(found.scores, found)) {
        if (!found.phrases.every((phrase) => hasRun(doc, phrase, found))) found.scores[id] = 0;
      }
    }

    /* Keep, of `scores`, the documents with `phrase` (query words) one after the other; those
       of `known` (scores of documents already found) are kept unread. */
    async function keepRun(scores, phrase, known, found) {
      for (const [id, doc] of await candidateTexts(scores, found, known)) {
        if (!hasRun(doc, phrase, found)) scores[id] = 0;
      }
    }

    /* A document of the index; `warned`: its text is the content warning it is behind. */
    async function documentOf(id) {
      const [url, title, date, source, code, text, warned] = await need(`docs/${id}`);
      return { url, title, date, source, language: code, text, warned: Boolean(warned) };
    }

    /* The words of `text` around its first hit (`marked`: hits() of the text): {text,
       start (the number of its first word in the whole text), before, after (whether words
       were left out there)}. */
    function excerpt(text, marked) {
      const parts = highlight.split(text);
      const words = marked.length;
      const first = marked.indexOf(true);
      const start = Math.max(0, (first < 0 ? 0 : first) - EXCERPT_LEAD);
      const end = Math.min(words, start + EXCERPT_WORDS);
      const from = start ? 2 * start + 1 : 0;
      const to = end < words ? 2 * end : parts.length;
      return {
        text: parts.slice(from, to).join("").trim(), start, before: start > 0, after: end < words,
      };
    }

    /* ---------- facets ---------- */
    const facetData = new Map();

    /* A facet's values, their names in the page's language, places' parents, the documents
       of each and every spelling an address may name a value by. */
    function facet(name) {
      if (!facetData.has(name)) {
        facetData.set(name, need(`filters/${name}`).then((data) => {
          /* Each value as readers of the page's language know it (the value stays what the
             address and the index name it by). */
          const own = data.labels?.[language];
          /* Every way an address may name a value, folded: the value, its names in every
             language, its key, its aliases (`?collection=syria-war`, `?actor=OTAN`). */
          const named = new Map();
          data.values.forEach((value, i) => {
            const spellings = [value, ...(data.spellings?.[i] ?? [])];
            for (const labels of Object.values(data.labels ?? {})) spellings.push(labels[i] ?? value);
            for (const spelling of spellings) named.set(highlight.tokens(spelling).join(" "), value);
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

    /* The facets this index has, in the page's order. */
    function facets() {
      return FACETS.filter((name) => meta.facets.includes(name));
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

    /* The facets a search state narrows (values ticked, or a year range). */
    function constrained(state) {
      return facets().filter((name) => (state.filters[name] || []).length
        || (name === "year" && (state.from || state.to)));
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
      for (const name of facets()) {
        const data = await facet(name);
        const base = new Uint8Array(meta.count);
        for (const id of candidates) if (passes(id, masksByFacet, name)) base[id] = 1;
        counts[name] = data.ids.map((ids) => ids.reduce((n, id) => n + base[id], 0));
      }
      return counts;
    }

    /* Filters as an address gives them, read as the values they name in any spelling:
       {filters, unknown: [{name, value}] for a facet or a value the index does not know}. */
    async function resolveFilters(given) {
      const filters = {};
      const unknown = [];
      for (const [name, values] of Object.entries(given)) {
        if (!meta.facets.includes(name)) {
          unknown.push(...values.map((value) => ({ name, value })));
          continue;
        }
        const data = await facet(name);
        for (const spelt of values) {
          const value = data.values.includes(spelt) ? spelt
            : data.named.get(highlight.tokens(spelt).join(" "));
          if (value === undefined) unknown.push({ name, value: spelt });
          else if (!(filters[name] ??= []).includes(value)) filters[name].push(value);
        }
      }
      return { filters, unknown };
    }

    /* ---------- one search: query, filters, order ---------- */

    /* state: {q, sort ("relevance", "newest", "oldest"), from, to, filters: {facet: values}}.
       Returns {found, ids (in order), candidates (before filters), masksByFacet}. */
    async function search(state) {
      const found = state.q.trim() ? await find(state.q)
        : {
          cards: [], scores: null, words: [], free: [], runs: new Set(), stems: {}, exact: new Set(),
        };
      const candidates = found.scores ? matching(found.scores)
        : Array.from({ length: meta.count }, (_, id) => id);
      const masksByFacet = await masks(state);
      const ids = candidates.filter((id) => passes(id, masksByFacet, null));
      const score = (id) => Math.round((found.scores ? found.scores[id] : 0) * 1e6);
      if (state.sort === "oldest") ids.sort((a, b) => b - a);
      else if (state.sort === "newest" || !found.scores) ids.sort((a, b) => a - b);
      else {
        ids.sort((a, b) => score(b) - score(a)
          || (languageOf[b] === language) - (languageOf[a] === language) || a - b);
      }
      return { found, ids, candidates, masksByFacet };
    }

    /* ---------- "did you mean": registry names and index words like the query ---------- */
    async function suggestions(found) {
      const wanted = found.words.join(" ");
      const names = await need("entities/names");
      const scored = [];
      for (const [registryName, translated, ...spellings] of names) {
        const name = nameIn(registryName, translated, language);
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

    return Object.freeze({
      open,
      meta: () => meta,
      facets,
      facet,
      constrained,
      facetCounts,
      resolveFilters,
      search,
      documentOf,
      hits,
      excerpt,
      suggestions,
      nameOf: (name, names) => nameIn(name, names, language),
    });
  }

  const ArchiveSearchEngine = Object.freeze({
    FORMAT, FACETS, PHRASE_CHECKS, K1, IMPACTS, SIMILAR, decodeSet, chunkOf, create,
  });
  window.ArchiveSearchEngine = ArchiveSearchEngine;
})();
