/* Snowball's Arabic stemmer for the search page, apart from stemmers.js: only a site with
 * Arabic documents loads it (plugins/search: STEMMERS_APART), before stemmers.js, which finds
 * it in window.ArchiveStemmersApart. Every other site saves its 9 kB before the first results.
 *
 * Checked like the others, word for word against snowballstemmer 3.1.1 on Snowball's own
 * Arabic vocabulary (tests/test_stemmers.py); each rule depends on the hamza forms and the
 * ta marbuta, so a word is stemmed as written and its stem folded afterwards.
 * A classic script, not a module: pages opened from disk refuse modules.
 */
(() => {
  "use strict";

  /* The longest suffix of `table` that `word` ends with; or "". */
  function longest(word, table) {
    for (let n = Math.min(table.longest, word.length); n > 0; n--) {
      const ending = word.slice(-n);
      if (table.has(ending)) return ending;
    }
    return "";
  }

  /* Snowball's Arabic stemmer (Assem Chelli's light stemmer), as snowballstemmer 3.1.1 runs it.
     It removes affixes, never finds a root: a verb's or a noun's suffixes (attached pronouns,
     dual and plural endings, the feminine ة, the nisba ي), then prefixes (و and ف, the
     article and its forms with ب, ك and ل, the future's س, the است of the tenth form).
     Each affix goes only if the word, as it is at that step, has at least the letters given
     beside it; among several, a step takes the longest and does nothing if it is too short. */

  /* A table of affixes, each with the least length a word must have for it to go. */
  function affixes(byLength) {
    const table = new Map();
    for (const [least, group] of Object.entries(byLength)) {
      for (const affix of group.split(" ")) table.set(affix, Number(least));
    }
    table.longest = Math.max(...Array.from(table.keys(), (a) => a.length));
    return table;
  }

  /* The longest affix of `table` that `word` has at `at`; or "". */
  function longestAt(word, table, at) {
    for (let n = Math.min(table.longest, word.length - at); n > 0; n--) {
      if (table.has(word.slice(at, at + n))) return word.slice(at, at + n);
    }
    return "";
  }

  /* `word` without `table`'s longest suffix, if long enough; null if none goes. */
  function arSuffix(word, table) {
    const ending = longest(word, table);
    return ending && word.length >= table.get(ending) ? word.slice(0, -ending.length) : null;
  }

  /* Snowball's Checks1, on the word as given: an article makes it a noun, not a verb. */
  const AR_DEFINED = affixes({ 5: "بال كال", 4: "ال لل" });
  /* The suffix steps, by Snowball's names: a verb's pronouns (1), then its person (2a-2c);
     a noun's pronouns (1a), dual -ن (1b), plural and feminine endings (2a-2c), nisba (3). */
  const AR_VERB_1 = affixes({ 4: "ه ك", 5: "ني نا ها هم هن كم كن", 6: "هما كما كمو" });
  const AR_VERB_2A = affixes({ 4: "ت ا ن ي", 5: "نا تا تن", 6: "ان ون ين تما" });
  const AR_VERB_2B = affixes({ 5: "وا تم" });
  const AR_VERB_2C = affixes({ 4: "و", 6: "تمو" });
  const AR_NOUN_1A = affixes({ 4: "ي ك ه", 5: "نا كم ها هن هم", 6: "كما هما" });
  const AR_NOUN_1B = affixes({ 6: "ن" });
  const AR_NOUN_2A = affixes({ 5: "ا ي و" });
  const AR_NOUN_2B = affixes({ 5: "ات" });
  const AR_NOUN_2C1 = affixes({ 4: "ت" });
  const AR_NOUN_2C2 = affixes({ 4: "ة" });
  const AR_NOUN_3 = affixes({ 3: "ي" });
  const AR_ARTICLE = affixes({ 6: "بال كال", 5: "ال لل" });
  /* Prefix step 1: a doubled hamza written once (أأ → أ), in words of four letters or more. */
  const AR_HAMZA_PAIRS = { "أأ": "أ", "أآ": "آ", "أؤ": "أ", "أإ": "إ", "أا": "ا" };
  /* Prefix step 3b: ب goes, بب and كك lose a letter; a word starting با keeps it. */
  const AR_PARTICLE = { "ب": "", "بب": "ب", "كك": "ك", "با": "با" };
  const AR_PARTICLES = affixes({ 4: Object.keys(AR_PARTICLE).join(" ") });
  /* The future's س before a person's letter, and -ست- written است (تستعمل → استعمل). */
  const AR_FUTURE = affixes({ 5: "سي ست سن سأ" });
  const AR_TENTH = affixes({ 5: "يست نست تست" });

  /* The suffixes: a verb's (pronouns, at least one, then a person's ending), else a noun's
     (feminine ة; pronoun, then a plural or dual ending; then the nisba ي), else a final ى
     written ي. As in Snowball, what a step removed stays removed when a later one fails.
     A word with an article is no verb, and keeps its noun's pronouns and -ا, -و, -ي. */
  function arabicSuffixes(word, defined) {
    let w = word;
    if (!defined) {
      let stem = arSuffix(w, AR_VERB_1);
      if (stem !== null) {
        for (let next = stem; next !== null; next = arSuffix(stem, AR_VERB_1)) stem = next;
        return arSuffix(stem, AR_VERB_2A) ?? arSuffix(stem, AR_VERB_2C) ?? stem;
      }
      stem = arSuffix(w, AR_VERB_2B) ?? arSuffix(w, AR_VERB_2A);
      if (stem !== null) return stem;
    }
    let stem = arSuffix(w, AR_NOUN_2C2);
    const pronoun = stem === null && !defined ? arSuffix(w, AR_NOUN_1A) : null;
    if (pronoun !== null) {
      stem = arSuffix(pronoun, AR_NOUN_2A) ?? arSuffix(pronoun, AR_NOUN_2B)
        ?? arSuffix(pronoun, AR_NOUN_2C1) ?? pronoun;
    }
    const dual = stem === null ? arSuffix(w, AR_NOUN_1B) : null;
    if (dual !== null) {
      stem = arSuffix(dual, AR_NOUN_2A) ?? arSuffix(dual, AR_NOUN_2B) ?? arSuffix(dual, AR_NOUN_2C1);
      w = dual;
    }
    if (stem === null && !defined) stem = arSuffix(w, AR_NOUN_2A);
    stem ??= arSuffix(w, AR_NOUN_2B);
    w = stem ?? w;
    const nisba = arSuffix(w, AR_NOUN_3);
    if (nisba !== null) return nisba;
    return w.endsWith("ى") ? `${w.slice(0, -1)}ي` : w;
  }

  /* The prefixes, each step where the previous one left off (after what it rewrote). */
  function arabicPrefixes(word, defined) {
    let w = word;
    let at = 0;
    if (Object.hasOwn(AR_HAMZA_PAIRS, w.slice(0, 2)) && w.length > 3) {
      w = AR_HAMZA_PAIRS[w.slice(0, 2)] + w.slice(2);
      at = 1;
    }
    if ((w[at] === "ف" || w[at] === "و") && w.length > 3 && w[at + 1] !== "ا") {
      w = w.slice(0, at) + w.slice(at + 1);
    }
    const article = longestAt(w, AR_ARTICLE, at);
    if (article && w.length >= AR_ARTICLE.get(article)) {
      return w.slice(0, at) + w.slice(at + article.length);
    }
    const particle = longestAt(w, AR_PARTICLES, at);
    if (particle && w.length >= AR_PARTICLES.get(particle)) {
      return w.slice(0, at) + AR_PARTICLE[particle] + w.slice(at + particle.length);
    }
    if (defined) return w;
    const future = longestAt(w, AR_FUTURE, at);
    if (future && w.length >= AR_FUTURE.get(future)) {
      w = w.slice(0, at) + w.slice(at + 1);
      at += 1;
    }
    const tenth = longestAt(w, AR_TENTH, at);
    return tenth && w.length >= AR_TENTH.get(tenth) ? `${w.slice(0, at)}است${w.slice(at + 3)}` : w;
  }

  function arabic(word) {
    const defined = longestAt(word, AR_DEFINED, 0);
    const isDefined = Boolean(defined) && word.length >= AR_DEFINED.get(defined);
    /* Vowel signs and tatweel dropped, Arabic-Indic digits and presentation forms plain. */
    let w = word.replace(/[\u064B-\u0652\u0640]/g, "")
      .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x660))
      .replace(/[\uFE80-\uFEFC]/g, (c) => c.normalize("NFKC"));
    w = arabicPrefixes(arabicSuffixes(w, isDefined), isDefined);
    /* Hamza on a seat: a final one written ء, the others as their seat. */
    w = w.replace(/[آأؤإئ]$/, "ء");
    return w.replace(/[آأإؤئ]/g, (c) => ({ "ؤ": "و", "ئ": "ي" })[c] ?? "ا");
  }

  /* Arabic removes prefixes too: a stem's words start with it or with what arabicPrefixes
     removes or rewrites before it. Each table lists, as folded words show them (أ as ا),
     [the word's start, the stem's start it leaves]: step 1 (أأ → أ, أؤ → أ...; what follows
     is looked for after that first letter), step 2 (و, ف), step 3 (the article, ب, بب and كك,
     the future's س, -ست- as است, and both). */
  const AR_STEP_1 = [["", ""], ["اا", "ا"], ["او", "ا"]];
  const AR_STEP_2 = ["", "و", "ف"];
  const AR_STEP_3 = [["", ""], ["ال", ""], ["لل", ""], ["بال", ""], ["كال", ""], ["ب", ""],
    ["بب", "ب"], ["كك", "ك"]];
  for (const tenth of "ينت") AR_STEP_3.push([`${tenth}ست`, "است"]);
  for (const person of "ينتا") {
    AR_STEP_3.push([`س${person}`, person]);
    for (const tenth of "ينت") AR_STEP_3.push([`س${person}${tenth}ست`, `${person}است`]);
  }

  /* The starts of an Arabic stem's words, given the stem's start (`core`, folded): the stem
     but its last letter when `cut`, else the whole stem, whose last letter may then be a
     hamza its words write on a seat (أ, ؤ, ئ: folded ا, و, ي), final in the stem. */
  function arabicStarts(core, cut) {
    const cores = !cut && core.endsWith("ء")
      ? Array.from("ءاوي", (seat) => core.slice(0, -1) + seat) : [core];
    const found = new Set();
    for (const start of cores) {
      for (const [word1, stem1] of AR_STEP_1) {
        for (const word2 of AR_STEP_2) {
          for (const [word3, stem3] of AR_STEP_3) {
            const removed = stem1 + stem3;
            const before = word1 + word2 + word3;
            let candidate = null;
            if (start.startsWith(removed)) candidate = before + start.slice(removed.length);
            else if (removed.startsWith(start)) candidate = before;
            /* و and ف stay before the article's bare alef (step 2). */
            if (candidate && !(word2 && word3.startsWith("ا"))) found.add(candidate);
          }
        }
      }
    }
    /* A start that another starts is looked for already. */
    const starting = (a) => Array.from(a, (_, n) => a.slice(0, n)).some((b) => found.has(b));
    return [...found].filter((a) => !starting(a));
  }

  (window.ArchiveStemmersApart ??= {}).ar = { stem: arabic, starts: arabicStarts };
})();
