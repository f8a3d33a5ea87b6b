/* Snowball stemmers for the search page: English (Porter2), Spanish and French; Arabic's is
 * in stemmers-ar.js, which a site with Arabic documents loads before this file.
 *
 * The same algorithms as Pagefind's (which runs the Snowball stemmers through rust-stemmers),
 * written from their published descriptions (snowballstem.org) as Snowball 3.1 defines them;
 * tests/test_stemmers.py checks them word for word against the Python snowballstemmer 3.1.1.
 * Each takes a word in lower case with its accents (the rules of Spanish and French depend on
 * them) and returns its stem. The search page loads this file; the engine (search-engine.js)
 * uses window.ArchiveStemmers: stem(word, language) and starts(stem, language).
 * A classic script, not a module: pages opened from disk refuse modules. The tests run it under
 * Node too (tests/stemmers.mjs) with nothing of a page but `window`: it must need nothing more.
 *
 * Terms used below: a suffix is "in R1" when it starts at or after R1, the region after the
 * first non-vowel that follows a vowel; R2 is the same region taken again from R1; RV (Spanish,
 * French) is a region near the start defined per language. Among several suffixes a step
 * takes the longest the word ends with; if that one's condition fails, the step does nothing.
 */
(() => {
  "use strict";

  /* A table of suffixes: each word of each group maps to the group's number (from 1). */
  function suffixes(...groups) {
    const table = new Map();
    groups.forEach((group, i) => {
      for (const suffix of group.split(" ")) table.set(suffix, i + 1);
    });
    table.longest = Math.max(...Array.from(table.keys(), (s) => s.length));
    return table;
  }

  /* The longest suffix of `table` that `word` ends with, starting at or after `from`; or "". */
  function longest(word, table, from = 0) {
    for (let n = Math.min(table.longest, word.length - from); n > 0; n--) {
      const ending = word.slice(-n);
      if (table.has(ending)) return ending;
    }
    return "";
  }

  /* The start of the region after the first non-vowel following a vowel, from `from` on. */
  function regionAfter(word, isVowel, from) {
    for (let i = from + 1; i < word.length; i++) {
      if (isVowel(word[i - 1]) && !isVowel(word[i])) return i + 1;
    }
    return word.length;
  }

  const vowelsOf = (letters) => (c) => c !== undefined && letters.includes(c);

  /* ---------- English (Porter2) ---------- */
  const enVowel = vowelsOf("aeiouy");
  const EN_WORDS = {
    skis: "ski", skies: "sky", idly: "idl", gently: "gentl", ugly: "ugli", early: "earli",
    only: "onli", singly: "singl", sky: "sky", news: "news", howe: "howe", atlas: "atlas",
    cosmos: "cosmos", bias: "bias", andes: "andes",
  };
  /* Words starting so have R1 right after this start ("generous": gener|ous). */
  const EN_R1_AFTER = /^(arsen|commun|emerg|gener|inter|later|organ|past|univers)/;
  const EN_STEP_2 = {
    tional: "tion", enci: "ence", anci: "ance", abli: "able", entli: "ent", izer: "ize",
    ization: "ize", ational: "ate", ation: "ate", ator: "ate", alism: "al", aliti: "al",
    alli: "al", fulness: "ful", fulli: "ful", ousli: "ous", ousness: "ous", iveness: "ive",
    iviti: "ive", biliti: "ble", bli: "ble", ogist: "og", ogi: "og", lessli: "less", li: "",
  };
  const EN_STEP_3 = {
    tional: "tion", ational: "ate", alize: "al", icate: "ic", iciti: "ic", ical: "ic",
    ful: "", ness: "", ative: "",
  };
  const EN_2 = suffixes(Object.keys(EN_STEP_2).join(" "));
  const EN_3 = suffixes(Object.keys(EN_STEP_3).join(" "));
  const EN_4 = suffixes("al ance ence er ic able ible ant ement ment ent ism ate iti ous ive ize",
    "ion");

  /* Does `word` end in a short syllable (hop, ap, but not how, box, plaY)? */
  function shortSyllable(word) {
    const n = word.length;
    return (n > 2 && !"aeiouywxY".includes(word[n - 1]) && enVowel(word[n - 2]) && !enVowel(word[n - 3]))
      || (n === 2 && enVowel(word[0]) && !enVowel(word[1]))
      || word.endsWith("past");
  }

  function english(word) {
    if (Object.hasOwn(EN_WORDS, word)) return EN_WORDS[word];
    if (word.length < 3) return word;
    /* y as a consonant (initial, or after a vowel) is written Y until the end. */
    let w = word.replace(/^'/, "");
    const consonantY = /^y|[aeiouy]y/.test(w);
    w = w.replace(/^y/, "Y").replace(/([aeiouy])y/g, "$1Y");
    const r1 = EN_R1_AFTER.exec(w)?.[0].length ?? regionAfter(w, enVowel, 0);
    const r2 = regionAfter(w, enVowel, r1);

    /* Step 1a: possessives and plurals. */
    w = w.replace(/'(s'?)?$/, "");
    if (w.endsWith("sses")) w = w.slice(0, -2);
    else if (/ie[ds]$/.test(w)) w = w.slice(0, w.length > 4 ? -2 : -1);
    else if (/[^su]s$/.test(w) && /[aeiouy]/.test(w.slice(0, -2))) w = w.slice(0, -1);

    w = englishStep1b(w, r1);

    /* Step 1c: a final y after a non-vowel (not the first letter) becomes i. */
    if (/.[^aeiouy][yY]$/.test(w)) w = `${w.slice(0, -1)}i`;

    /* Steps 2 and 3: endings in R1 replaced. */
    let ending = longest(w, EN_2);
    if (ending && w.length - ending.length >= r1) {
      const before = w[w.length - ending.length - 1];
      const allowed = ending === "ogi" ? before === "l"
        : ending === "li" ? before !== undefined && "cdeghkmnrt".includes(before) : true;
      if (allowed) w = w.slice(0, -ending.length) + EN_STEP_2[ending];
    }
    ending = longest(w, EN_3);
    if (ending && w.length - ending.length >= (ending === "ative" ? r2 : r1)) {
      w = w.slice(0, -ending.length) + EN_STEP_3[ending];
    }

    /* Step 4: endings in R2 removed (-ion only after s or t). */
    ending = longest(w, EN_4);
    if (ending && w.length - ending.length >= r2
        && (ending !== "ion" || /[st]$/.test(w.slice(0, -3)))) {
      w = w.slice(0, -ending.length);
    }

    /* Step 5: a final e, or the second l of ll, in R2 (e in R1 too, after no short syllable). */
    const last = w.length - 1;
    if (w.endsWith("e") && (last >= r2 || (last >= r1 && !shortSyllable(w.slice(0, -1))))) {
      w = w.slice(0, -1);
    } else if (w.endsWith("ll") && last >= r2) {
      w = w.slice(0, -1);
    }
    return consonantY ? w.replaceAll("Y", "y") : w;
  }

  /* Step 1b: -ed, -ing and kin, then tidy the stem (hopp → hop, hop → hope, luxuriat → e). */
  function englishStep1b(w, r1) {
    const ending = /(e?edly|ingly|edly|e?ed|ing)$/.exec(w)?.[0];
    if (!ending) return w;
    const stem = w.slice(0, -ending.length);
    if (ending === "eed" || ending === "eedly") {
      return stem.length >= r1 && !/^(succ|proc|exc)$/.test(stem) ? `${stem}ee` : w;
    }
    if (ending === "ing") {
      if (/^[^aeiouy]y$/.test(stem)) return `${stem[0]}ie`;  /* dying → die */
      if (/^(even|cann|inn|earr|herr|out)$/.test(stem)) return w;
    }
    if (!/[aeiouy]/.test(stem)) return w;
    if (/(at|bl|iz)$/.test(stem)) return `${stem}e`;
    if (/(bb|dd|ff|gg|mm|nn|pp|rr|tt)$/.test(stem)) {
      return stem.length === 3 && "aeo".includes(stem[0]) ? stem : stem.slice(0, -1);
    }
    return stem.length === r1 && shortSyllable(stem) ? `${stem}e` : stem;
  }

  /* ---------- Spanish ---------- */
  const esVowel = vowelsOf("aeiouáéíóúü");
  const unaccent = (text) => text.replace(/[áéíóú]/g, (c) => "aeiou"["áéíóú".indexOf(c)]);
  const ES_PRONOUN = suffixes("me se sela selo selas selos la le les las lo los nos");
  const ES_BEFORE_PRONOUN = suffixes("ando iendo ar er ir ándo iéndo ár ér ír", "yendo");
  /* Step 1's suffixes by group (all in R2 but amente, in R1), and what becomes of them. */
  const ES_STANDARD = suffixes(
    "anza anzas ico ica icos icas ismo ismos able ables ible ibles ista istas oso osa osos osas"
      + " amiento amientos imiento imientos", /* 1: deleted */
    "adora ador ación acion aciones adoras adores ante antes ancia ancias", /* 2: and ic */
    "logía logías", /* 3: → log */
    "ución ucion uciones", /* 4: → u */
    "encia encias", /* 5: → ente */
    "amente", /* 6: deleted, then iv (and at), os, ic, ad */
    "mente", /* 7: deleted, then ante, able, ible */
    "idad idades", /* 8: deleted, then abil, ic, iv */
    "iva ivo ivas ivos", /* 9: deleted, then at */
  );
  const ES_AFTER_AMENTE = suffixes("ic ad os", "iv");
  const ES_AFTER_MENTE = suffixes("ante able ible");
  const ES_AFTER_IDAD = suffixes("abil ic iv");
  const ES_Y_VERB = suffixes("ya ye yan yen yeron yendo yo yó yas yes yais yamos");
  const ES_VERB = suffixes(
    "en es éis emos",
    "arían arías arán arás aríais aría aréis aríamos aremos ará aré erían erías erán erás"
      + " eríais ería eréis eríamos eremos erá eré irían irías irán irás iríais iría iréis"
      + " iríamos iremos irá iré aba ada ida ía ara iera ad ed id ase iese aste iste an aban"
      + " ían aran ieran asen iesen aron ieron ado ido ando iendo ió ar er ir as abas adas"
      + " idas ías aras ieras ases ieses ís áis abais íais arais ierais aseis ieseis asteis"
      + " isteis ados idos amos ábamos íamos imos áramos iéramos iésemos ásemos",
  );
  const ES_RESIDUAL = suffixes("os a o á í ó", "e é");

  /* RV: after the next vowel if the second letter is a non-vowel; after the next non-vowel if
     the first two are vowels; else (non-vowel, vowel) after the third letter. */
  function spanishRV(w) {
    if (w.length < 3) return w.length;
    const second = esVowel(w[1]);
    if (second && !esVowel(w[0])) return 3;
    for (let i = 2; i < w.length; i++) if (esVowel(w[i]) !== second) return i + 1;
    return w.length;
  }

  function spanish(word) {
    let w = word;
    const rv = spanishRV(w);
    const r1 = regionAfter(w, esVowel, 0);
    const r2 = regionAfter(w, esVowel, r1);

    /* Step 0: a pronoun attached to a gerund or an infinitive (dándoselo → dando). */
    const pronoun = longest(w, ES_PRONOUN);
    if (pronoun) {
      const verb = w.slice(0, -pronoun.length);
      const ending = longest(verb, ES_BEFORE_PRONOUN);
      const at = verb.length - ending.length;
      if (ending && at >= rv && (ES_BEFORE_PRONOUN.get(ending) === 1 || verb[at - 1] === "u")) {
        w = verb.slice(0, at) + unaccent(ending);
      }
    }

    /* Steps 1 to 2b: a derivational suffix, else a verb ending starting with y after u, else
       another verb ending in RV. */
    w = spanishStandard(w, r1, r2) ?? spanishVerb(w, rv) ?? w;

    /* Step 3: a final vowel in RV (and the u of -gue, -gué). */
    const ending = longest(w, ES_RESIDUAL);
    if (ending && w.length - ending.length >= rv) {
      w = w.slice(0, -ending.length);
      if (ES_RESIDUAL.get(ending) === 2 && w.endsWith("gu") && w.length - 1 >= rv) w = w.slice(0, -1);
    }
    return unaccent(w);
  }

  function spanishStandard(w, r1, r2) {
    const ending = longest(w, ES_STANDARD);
    if (!ending) return null;
    const at = w.length - ending.length;
    const group = ES_STANDARD.get(ending);
    if (at < (group === 6 ? r1 : r2)) return null;
    let stem = w.slice(0, at);
    /* Strip `table`'s longest suffix of the stem if it is in R2; say which one. */
    const strip = (table) => {
      const found = longest(stem, table);
      if (!found || stem.length - found.length < r2) return "";
      stem = stem.slice(0, -found.length);
      return found;
    };
    switch (group) {
      case 2: strip(suffixes("ic")); return stem;
      case 3: return `${stem}log`;
      case 4: return `${stem}u`;
      case 5: return `${stem}ente`;
      case 6: if (ES_AFTER_AMENTE.get(strip(ES_AFTER_AMENTE)) === 2) strip(suffixes("at")); return stem;
      case 7: strip(ES_AFTER_MENTE); return stem;
      case 8: strip(ES_AFTER_IDAD); return stem;
      case 9: strip(suffixes("at")); return stem;
      default: return stem;
    }
  }

  function spanishVerb(w, rv) {
    const y = longest(w, ES_Y_VERB, rv);
    if (y && w[w.length - y.length - 1] === "u") return w.slice(0, -y.length);
    const ending = longest(w, ES_VERB, rv);
    if (!ending) return null;
    const stem = w.slice(0, -ending.length);
    return ES_VERB.get(ending) === 1 && stem.endsWith("gu") ? stem.slice(0, -1) : stem;
  }

  /* ---------- French ---------- */
  const FR_VOWELS = "aeiouyâàëéêèïîôûù";
  const frVowel = vowelsOf(FR_VOWELS);
  /* Step 1's suffixes by group: the region each must start in, and what becomes of it. */
  const FR_STANDARD = suffixes(
    "ance iqUe isme able iste eux ances iqUes ismes ables istes", /* 1, R2: deleted */
    "atrice ateur ation atrices ateurs ations", /* 2, R2: deleted, then ic (or → iqU) */
    "logie logies", /* 3, R2: → log */
    "usion ution usions utions", /* 4, R2: → u */
    "ence ences", /* 5, R2: → ent */
    "ement ements", /* 6, RV: deleted, then iv, eus, abl, iqU, ièr */
    "ité ités", /* 7, R2: deleted, then abil, ic, iv */
    "if ive ifs ives", /* 8, R2: deleted, then at and ic */
    "eaux", /* 9: → eau */
    "aux", /* 10, R1: → al */
    "oux", /* 11: → ou after b, h, j, l, n or p */
    "euse euses", /* 12: deleted in R2, → eux in R1 */
    "issement issements", /* 13, R1: deleted after a non-vowel */
    "amment", /* 14, RV: → ant, and on to step 2 */
    "emment", /* 15, RV: → ent, and on to step 2 */
    "ment ments", /* 16: deleted after a vowel in RV, and on to step 2 */
  );
  const FR_AFTER_EMENT = suffixes("iv", "eus", "abl iqU", "ièr Ièr");
  const FR_AFTER_ITE = suffixes("abil", "ic", "iv");
  const FR_I_VERB = suffixes(
    "ira ie isse issante i irai ir iras ies îmes isses issantes îtes is irais issais irions"
      + " issions irons issons issants it irait issait issant iraIent issaIent irent issent"
      + " iront ît iriez issiez irez issez",
  );
  const FR_VERB = suffixes(
    "ions",
    "é ée ées és èrent er era erai eras erais erait eraIent erez eriez erions erons eront ez"
      + " iez eais",
    "a asse ante ai as âmes asses antes âtes assions ants ait ant aIent assent ât assiez",
    "ais aise aises",
  );
  const FR_RESIDUAL = suffixes("ion", "ière Ière ier Ier", "e");

  /* Letters that are not vowels here: u and i between vowels, y next to a vowel, u after q;
     ë and ï become He and Hi (so "aiguë" keeps its ë). Marked in capitals until the end. */
  function frenchPrelude(word) {
    const w = Array.from(word);
    let i = 0;
    while (i < w.length) {
      const [c, next] = [w[i], w[i + 1]];
      if (frVowel(c) && (next === "u" || next === "i") && frVowel(w[i + 2])) w[i + 1] = next.toUpperCase();
      else if (frVowel(c) && next === "y") w[i + 1] = "Y";
      else if (c === "ë" || c === "ï") w.splice(i, 1, "H", c === "ë" ? "e" : "i");
      else if (c === "y" && frVowel(next)) w[i] = "Y";
      else if (c === "q" && next === "u") w[i + 1] = "U";
      else i++;
    }
    return w.join("");
  }

  /* RV: after the third letter if the word starts with two vowels (or with par, col, tap, or
     ni and a vowel); else after the first vowel that is not the first letter. */
  function frenchRV(w) {
    if ((frVowel(w[0]) && frVowel(w[1]) && w.length > 2) || /^(par|col|tap)/.test(w)
        || (w.startsWith("ni") && frVowel(w[2]))) return 3;
    for (let i = 1; i < w.length; i++) if (frVowel(w[i])) return i + 1;
    return w.length;
  }

  function french(word) {
    let w = word.replace(/^(?:[cdjlmnst]|qu)'(?=.)/, "");
    w = frenchPrelude(w);
    const rv = frenchRV(w);
    const r1 = regionAfter(w, frVowel, 0);
    const r2 = regionAfter(w, frVowel, r1);

    /* Steps 1 and 2: a derivational suffix, else a verb ending; then a final Y or ç. Some
       rewrites of step 1 (-amment → -ant) go on to step 2 as if step 1 had not matched. */
    const [standard, done] = frenchStandard(w, rv, r1, r2);
    const verb = done ? standard : frenchVerb(standard, rv, r2);
    if (verb !== null) {
      w = verb.replace(/Y$/, "i").replace(/ç$/, "c");
    } else {
      w = frenchResidual(standard, rv, r2);
    }
    /* Step 5: -enn, -onn, -ett, -ell, -eill lose their last letter; step 6: é or è before the
       final non-vowels becomes e. */
    if (/(enn|onn|ett|ell|eill)$/.test(w)) w = w.slice(0, -1);
    w = w.replace(new RegExp(`[éè](?=[^${FR_VOWELS}]+$)`), "e");
    return w.replace(/H[ei]?|[IUY]/g, (m) => ({ He: "ë", Hi: "ï", H: "" })[m] ?? m.toLowerCase());
  }

  /* Step 1: [the word, whether the step is done]. */
  function frenchStandard(w, rv, r1, r2) {
    const ending = longest(w, FR_STANDARD);
    const at = w.length - ending.length;
    const group = FR_STANDARD.get(ending);
    /* Where each group's suffix must start (see FR_STANDARD; 12 and 16 are checked below). */
    const region = [0, r2, r2, r2, r2, r2, rv, r2, r2, 0, r1, 0, 0, r1, rv, rv, 0][group ?? 0];
    if (!ending || at < region) return [w, false];
    let stem = w.slice(0, at);
    /* Strip `suffix` if the stem ends with it in R2; else put `otherwise` in its place. */
    const strip = (suffix, otherwise = suffix) => {
      if (!stem.endsWith(suffix)) return false;
      const start = stem.length - suffix.length;
      stem = stem.slice(0, start) + (start >= r2 ? "" : otherwise);
      return start >= r2;
    };
    switch (group) {
      case 2: strip("ic", "iqU"); break;
      case 3: stem += "log"; break;
      case 4: stem += "u"; break;
      case 5: stem += "ent"; break;
      case 6: {
        const next = longest(stem, FR_AFTER_EMENT);
        const start = stem.length - next.length;
        const kind = FR_AFTER_EMENT.get(next);
        if (kind === 1) strip("iv") && strip("at");
        else if (kind === 2) strip("eus", start >= r1 ? "eux" : "eus");
        else if (kind === 3) strip(next);
        else if (kind === 4 && start >= rv) stem = `${stem.slice(0, start)}i`;
        break;
      }
      case 7: {
        const kind = FR_AFTER_ITE.get(longest(stem, FR_AFTER_ITE));
        if (kind) strip(["abil", "ic", "iv"][kind - 1], ["abl", "iqU", "iv"][kind - 1]);
        break;
      }
      case 8: strip("at") && strip("ic", "iqU"); break;
      case 9: stem += "eau"; break;
      case 10: stem += "al"; break;
      case 11:
        if (!"bhjlnp".includes(stem.at(-1) || "-")) return [w, false];
        stem += "ou";
        break;
      case 12:
        if (at < r2) {
          if (at < r1) return [w, false];
          stem += "eux";
        }
        break;
      case 13: if (!stem || frVowel(stem.at(-1))) return [w, false]; break;
      case 14: return [`${stem}ant`, false];
      case 15: return [`${stem}ent`, false];
      case 16: return frVowel(stem.at(-1)) && stem.length - 1 >= rv ? [stem, false] : [w, false];
      default: break;
    }
    return [stem, true];
  }

  /* Step 2: verb endings in RV (a: of -ir verbs, after a non-vowel; b: the others); null if
     none. */
  function frenchVerb(w, rv, r2) {
    let ending = longest(w, FR_I_VERB, rv);
    let at = w.length - ending.length;
    if (ending && at > rv && w[at - 1] !== "H" && !frVowel(w[at - 1])) return w.slice(0, at);
    ending = longest(w, FR_VERB, rv);
    if (!ending) return null;
    at = w.length - ending.length;
    const stem = w.slice(0, at);
    switch (FR_VERB.get(ending)) {
      case 1: return at >= r2 ? stem : null;
      case 3: return stem.endsWith("e") && at - 1 >= rv ? stem.slice(0, -1) : stem;
      case 4: {
        /* -ais is kept after épl, auv, and in Xal (mais, palais; not "balais"). */
        if (/(épl|auv)$/.test(stem) || /^.al$/.test(stem)) return null;
        return stem;
      }
      default: return stem;
    }
  }

  /* Step 4, when steps 1 and 2 did nothing: a final s (not after a, i, o, u, è or s), then
     -ion after s or t, -ier and -ière, or a final e, in RV. */
  function frenchResidual(word, rv, r2) {
    let w = word;
    if (/(Hi|[^aiouès])s$/.test(w)) w = w.slice(0, -1);
    const ending = longest(w, FR_RESIDUAL, rv);
    const at = w.length - ending.length;
    switch (FR_RESIDUAL.get(ending)) {
      case 1: return at >= r2 && at > rv && "st".includes(w[at - 1]) ? w.slice(0, at) : w;
      case 2: return `${w.slice(0, at)}i`;
      case 3: return w.slice(0, at);
      default: return w;
    }
  }

  /* ---------- where a stem's words start ---------- */

  /* The starts of the words that have `stem` (folded: no accents) in `language`: the stem but
     its last letter (cities → citi, journaux → journal), or the whole stem of two letters or
     fewer; and where a rule rewrites more than that, the start of the words it rewrites too
     (dying → die, évidemment → évident, publication → publiqu, French y → i). The engine looks
     for a stem among the words starting so; tests/test_stemmers.py checks every word. */
  function starts(stem, language) {
    const letters = Array.from(stem); /* letters, not UTF-16 units (see stem) */
    const found = [letters.length > 2 ? letters.slice(0, -1).join("") : stem];
    if (Object.hasOwn(APART, language)) return APART[language].starts(found[0], letters.length > 2);
    /* Only a non-vowel as written comes before -ie (dying), but folded it may be one (𝐚, ａ). */
    if (language === "en" && /^.ie$/u.test(stem)) found.push(`${stem.slice(0, -2)}y`);
    if (language === "fr") {
      if (/[ae]nt$/.test(stem)) found.push(`${stem.slice(0, -2)}m`);
      if (stem.endsWith("iqu")) found.push(`${stem.slice(0, -2)}c`);
      if (letters.length < 3 && stem.endsWith("i")) found.push(`${stem.slice(0, -1)}y`);
    }
    return found;
  }

  /* Languages whose stemmers ship apart, for the sites that have documents in them
     (stemmers-ar.js): each registered there before this file runs. */
  const APART = window.ArchiveStemmersApart ?? {};
  const STEMMERS = { en: english, es: spanish, fr: french };
  for (const [code, language] of Object.entries(APART)) STEMMERS[code] = language.stem;
  /* Snowball counts a word's letters, JavaScript strings their UTF-16 units: two for a letter
     past U+FFFF (𝐚, CJK extension B), which would put the regions one unit off ("a𝐛ing" must
     give "a𝐛e"). Such a letter is never a vowel nor in a suffix: each is stemmed as one unit
     no word holds (U+FFFF, a noncharacter), then put back. */
  const ASTRAL = /[\u{10000}-\u{10FFFF}]/gu;

  /* The stem of `word` in `language`; the word itself in a language without a stemmer. */
  function stem(word, language) {
    if (!Object.hasOwn(STEMMERS, language)) return word;
    const astral = word.match(ASTRAL);
    if (!astral) return STEMMERS[language](word);
    let next = 0;
    const stemmed = STEMMERS[language](word.replace(ASTRAL, "\uFFFF"));
    return stemmed.replace(/\uFFFF/g, () => astral[next++]);
  }

  window.ArchiveStemmers = Object.freeze({ stem, starts, languages: Object.keys(STEMMERS) });
})();
