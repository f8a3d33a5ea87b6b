/* Search page: one interface over two engines.
 *
 * Served over HTTP it uses Pagefind. Opened from disk (file://) browsers refuse module
 * imports and fetch(), so it uses the offline index written by plugins/search/offline.py:
 * plain scripts that call ArchiveSearch.load(), loaded on demand with <script src>.
 * The query, filters, order and language live in the URL (?q=…&actor=…&sort=…&lang=…), so a
 * search can be bookmarked, shared, and restored with the Back button.
 */
(function () {
  "use strict";

  var FILTERS = [
    ["actor", "Actors"], ["location", "Locations"], ["collection", "Collections"],
    ["year", "Years"], ["publisher", "Sources"], ["language", "Languages"]
  ];
  var PAGE_SIZE = 10;
  var FACET_LIMIT = 12;

  var root = document.querySelector("[data-search]");
  if (!root) return;
  var form = root.querySelector("form");
  var input = form.elements.q;
  var sortSelect = form.elements.sort;
  var languageSelect = form.elements.lang;
  var statusLine = root.querySelector(".search__status");
  var facetsBox = root.querySelector(".search__facets");
  var list = root.querySelector(".search__list");
  var moreButton = root.querySelector(".search__more");
  var languages = JSON.parse(root.getAttribute("data-languages"));

  /* Words as the offline indexer sees them: lower case, no accents, letters and digits. */
  function tokens(text) {
    return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) || [];
  }

  /* ---------- the offline engine (file://) ---------- */
  var loaded = {};
  var waiting = {};
  window.ArchiveSearch = {
    load: function (name, data) {
      loaded[name] = data;
      (waiting[name] || []).forEach(function (resolve) { resolve(data); });
      delete waiting[name];
    }
  };

  function need(base, name) {
    if (loaded[name]) return Promise.resolve(loaded[name]);
    return new Promise(function (resolve, reject) {
      if (!waiting[name]) {
        waiting[name] = [];
        var script = document.createElement("script");
        script.src = base + name + ".js";
        script.onerror = function () { reject(new Error("The search index is missing " + name + ".js")); };
        document.head.appendChild(script);
      }
      waiting[name].push(resolve);
    });
  }

  function decodeIds(text) {
    var ids = [];
    var current = 0;
    if (!text) return ids;
    text.split(",").forEach(function (gap) { current += parseInt(gap, 36); ids.push(current); });
    return ids;
  }

  function hex(text) {
    return Array.prototype.map.call(new TextEncoder().encode(text), function (byte) {
      return byte.toString(16).padStart(2, "0");
    }).join("");
  }

  function offlineEngine(base, language) {
    var prefix = language + "/";
    return need(base, prefix + "meta").then(function (meta) {
      var chunks = new Set(meta.prefixes);

      /* Documents containing a word (the last word of a query also matches as a prefix),
         with a relevance score per document. */
      function postings(word, asPrefix) {
        var name = hex(Array.from(word).slice(0, 2).join(""));
        if (!chunks.has(name)) return Promise.resolve(new Map());
        return need(base, prefix + "terms/" + name).then(function (terms) {
          var scores = new Map();
          Object.keys(terms).forEach(function (term) {
            if (term !== word && !(asPrefix && term.indexOf(word) === 0)) return;
            var parts = terms[term].split("|");
            var ids = decodeIds(parts[0]);
            var idf = Math.log(1 + meta.count / ids.length);
            ids.forEach(function (id, i) {
              var tf = Number(parts[1][i]);
              var score = idf * tf / (tf + 1.2);
              scores.set(id, Math.max(scores.get(id) || 0, score));
            });
          });
          return scores;
        });
      }

      function search(query, filters, sort) {
        var words = tokens(query);
        var lookups = words.map(function (word, i) { return postings(word, i === words.length - 1); });
        return Promise.all(lookups).then(function (maps) {
          var scores = null;
          maps.forEach(function (map) {
            if (scores === null) { scores = map; return; }
            var both = new Map();
            map.forEach(function (score, id) { if (scores.has(id)) both.set(id, scores.get(id) + score); });
            scores = both;
          });
          if (scores === null) {  /* no words: every document, narrowed by the filters */
            scores = new Map();
            for (var id = 0; id < meta.count; id++) scores.set(id, 0);
          }
          Object.keys(filters).forEach(function (key) {
            filters[key].forEach(function (value) {
              var allowed = new Set(decodeIds((meta.filters[key] || {})[value]));
              scores.forEach(function (_, id) { if (!allowed.has(id)) scores.delete(id); });
            });
          });
          var ids = Array.from(scores.keys());
          /* Documents are numbered newest first. */
          if (sort === "newest") ids.sort(function (a, b) { return a - b; });
          else if (sort === "oldest") ids.sort(function (a, b) { return b - a; });
          else ids.sort(function (a, b) { return scores.get(b) - scores.get(a) || a - b; });
          var facets = {};
          Object.keys(meta.filters).forEach(function (key) {
            facets[key] = {};
            Object.keys(meta.filters[key]).forEach(function (value) {
              var count = 0;
              decodeIds(meta.filters[key][value]).forEach(function (id) { if (scores.has(id)) count++; });
              if (count) facets[key][value] = count;
            });
          });
          return {
            total: ids.length,
            facets: facets,
            page: function (from, to) {
              return Promise.all(ids.slice(from, to).map(function (id) {
                return need(base, prefix + "docs/" + Math.floor(id / meta.chunk)).then(function (rows) {
                  var row = rows[id % meta.chunk];
                  return { url: new URL(row[0], new URL(base + "../", location.href)).href, title: row[1],
                           date: row[2], source: row[3], excerpt: markWords(row[4], words) };
                });
              }));
            }
          };
        });
      }
      return { search: search, mode: "offline" };
    });
  }

  /* The summary as DOM nodes, with the query's words marked. */
  function markWords(text, words) {
    var fragment = document.createDocumentFragment();
    text.split(/([\p{L}\p{N}]+)/u).forEach(function (part) {
      var word = tokens(part)[0];
      var hit = word && words.some(function (w) { return word.indexOf(w) === 0; });
      if (hit) {
        var mark = document.createElement("mark");
        mark.textContent = part;
        fragment.appendChild(mark);
      } else {
        fragment.appendChild(document.createTextNode(part));
      }
    });
    return fragment;
  }

  /* ---------- the Pagefind engine (http/https) ---------- */
  function pagefindEngine(url, language) {
    /* Pagefind picks its index from <html lang> when it starts; point it at the chosen
       language for that moment only, so the page itself keeps its own language. */
    var html = document.documentElement;
    var pageLanguage = html.lang;
    html.lang = language;
    return import(new URL(url, location.href).href).then(function (pagefind) {
      return pagefind.options({ excerptLength: 30 }).then(function () { return pagefind.init(); })
        /* Loading the filters once makes every search return its filter counts. */
        .then(function () { return pagefind.filters(); })
        .then(function () {
          html.lang = pageLanguage;
          return { search: function (query, filters, sort) {
            var options = { filters: filters };
            if (sort !== "relevance") options.sort = { date: sort === "oldest" ? "asc" : "desc" };
            return pagefind.search(query.trim() || null, options).then(function (found) {
              return {
                total: found.results.length,
                facets: found.filters,
                page: function (from, to) {
                  return Promise.all(found.results.slice(from, to).map(function (result) {
                    return result.data().then(function (data) {
                      return { url: new URL(data.url, location.href).href, title: data.meta.title,
                               date: data.meta.date, source: data.meta.source,
                               excerpt: safeExcerpt(data.excerpt) };
                    });
                  }));
                }
              };
            });
          }, mode: "pagefind" };
        });
    }).catch(function (error) { html.lang = pageLanguage; throw error; });
  }

  /* Pagefind's excerpt is HTML; keep only its text and <mark> elements. */
  function safeExcerpt(excerpt) {
    var parsed = new DOMParser().parseFromString("<p>" + excerpt + "</p>", "text/html");
    var fragment = document.createDocumentFragment();
    parsed.body.firstChild.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        fragment.appendChild(mark);
      } else {
        fragment.appendChild(document.createTextNode(node.textContent));
      }
    });
    return fragment;
  }

  /* ---------- the page ---------- */
  var engine = null;
  var current = null;
  var shown = 0;

  function readState() {
    var params = new URLSearchParams(location.search);
    var filters = {};
    FILTERS.forEach(function (pair) {
      var values = params.getAll(pair[0]);
      if (values.length) filters[pair[0]] = values;
    });
    return { q: params.get("q") || "", sort: params.get("sort") || "relevance",
             lang: params.get("lang") || "", filters: filters };
  }

  function writeState(state, push) {
    var params = new URLSearchParams();
    if (state.q) params.set("q", state.q);
    Object.keys(state.filters).forEach(function (key) {
      state.filters[key].forEach(function (value) { params.append(key, value); });
    });
    if (state.sort !== "relevance") params.set("sort", state.sort);
    if (state.lang) params.set("lang", state.lang);
    var url = location.pathname + (params.toString() ? "?" + params : "");
    if (url === location.pathname + location.search) return;
    (push ? history.pushState : history.replaceState).call(history, null, "", url);
  }

  function chosenLanguage(requested) {
    var codes = languages.map(function (l) { return l.code; });
    if (codes.indexOf(requested) >= 0) return requested;
    var reader = (navigator.languages || []).map(function (l) { return l.split("-")[0]; });
    for (var i = 0; i < reader.length; i++) if (codes.indexOf(reader[i]) >= 0) return reader[i];
    return codes[0];
  }

  function state() {
    var selected = {};
    facetsBox.querySelectorAll("input:checked").forEach(function (box) {
      (selected[box.name] = selected[box.name] || []).push(box.value);
    });
    return { q: input.value, sort: sortSelect.value, lang: languageSelect.value, filters: selected };
  }

  function renderFacets(facets, filters) {
    facetsBox.textContent = "";
    FILTERS.forEach(function (pair) {
      var key = pair[0];
      var counts = facets[key] || {};
      var chosen = filters[key] || [];
      var values = Object.keys(counts).sort(function (a, b) {
        return counts[b] - counts[a] || a.localeCompare(b);
      });
      chosen.forEach(function (value) { if (values.indexOf(value) < 0) values.unshift(value); });
      if (!values.length) return;
      var fieldset = document.createElement("fieldset");
      var legend = document.createElement("legend");
      legend.textContent = pair[1];
      fieldset.appendChild(legend);
      var more = null;
      values.forEach(function (value, index) {
        var label = document.createElement("label");
        var box = document.createElement("input");
        box.type = "checkbox";
        box.name = key;
        box.value = value;
        box.checked = chosen.indexOf(value) >= 0;
        label.appendChild(box);
        label.appendChild(document.createTextNode(" " + value + " "));
        var count = document.createElement("span");
        count.className = "count";
        count.textContent = "(" + (counts[value] || 0) + ")";
        label.appendChild(count);
        if (index >= FACET_LIMIT && !box.checked) {
          if (!more) {
            more = document.createElement("details");
            var summary = document.createElement("summary");
            summary.textContent = "More " + pair[1].toLowerCase();
            more.appendChild(summary);
          }
          more.appendChild(label);
        } else {
          fieldset.appendChild(label);
        }
      });
      if (more) fieldset.appendChild(more);
      facetsBox.appendChild(fieldset);
    });
    root.querySelector(".search__filters").hidden = !facetsBox.childNodes.length;
  }

  function resultItem(result, words) {
    var item = document.createElement("li");
    item.className = "search__result";
    var link = document.createElement("a");
    var target = new URL(result.url);
    words.forEach(function (word) { target.searchParams.append("highlight", word); });
    link.href = target.href;
    link.className = "search__title";
    link.textContent = result.title;
    var heading = document.createElement("h3");
    heading.appendChild(link);
    var meta = document.createElement("p");
    meta.className = "search__meta";
    var time = document.createElement("time");
    time.dateTime = result.date || "";
    time.textContent = result.date || "";
    meta.appendChild(time);
    meta.appendChild(document.createTextNode(result.source ? " · " + result.source : ""));
    var excerpt = document.createElement("p");
    excerpt.className = "search__excerpt";
    excerpt.appendChild(result.excerpt);
    item.appendChild(heading);
    item.appendChild(meta);
    item.appendChild(excerpt);
    return item;
  }

  function showMore() {
    var words = tokens(current.query);
    var from = shown;
    shown = Math.min(current.found.total, shown + PAGE_SIZE);
    return current.found.page(from, shown).then(function (results) {
      results.forEach(function (result) { list.appendChild(resultItem(result, words)); });
      moreButton.hidden = shown >= current.found.total;
    });
  }

  function run(search) {
    var query = search.q.trim();
    var filtered = Object.keys(search.filters).length > 0;
    if (!query && !filtered) {
      statusLine.textContent = "Type words to find, for example a name or a place.";
      list.textContent = "";
      root.querySelector(".search__results").hidden = true;
      root.querySelector(".search__filters").hidden = true;
      moreButton.hidden = true;
      return Promise.resolve();
    }
    statusLine.textContent = "Searching…";
    return engine.search(query, search.filters, search.sort).then(function (found) {
      if (search !== latest) return;  /* a newer search has started */
      current = { found: found, query: query };
      shown = 0;
      list.textContent = "";
      var what = query ? "“" + query + "”" : "the chosen filters";
      statusLine.textContent = found.total === 1 ? "1 document for " + what
        : found.total + " documents for " + what;
      root.querySelector(".search__results").hidden = found.total === 0;
      renderFacets(found.facets, search.filters);
      return showMore();
    });
  }

  var latest = null;
  function update(push) {
    latest = state();
    writeState(latest, push);
    return run(latest).catch(fail);
  }

  function fail(error) {
    statusLine.textContent = "Search is not available: " + error.message;
  }

  function restore() {
    var saved = readState();
    input.value = saved.q;
    sortSelect.value = saved.sort;
    latest = saved;
    return run(saved).catch(fail);
  }

  var typing = null;
  input.addEventListener("input", function () {
    clearTimeout(typing);
    typing = setTimeout(function () { update(false); }, 250);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(typing);
    update(true);
  });
  sortSelect.addEventListener("change", function () { update(true); });
  facetsBox.addEventListener("change", function () { update(true); });
  moreButton.addEventListener("click", function () { showMore().catch(fail); });
  languageSelect.addEventListener("change", function () {
    var next = state();
    next.filters = {};
    writeState(next, true);
    location.reload();  /* each language has its own index, opened at start */
  });
  window.addEventListener("popstate", function () {
    var saved = readState();
    if (chosenLanguage(saved.lang) !== languageSelect.value) { location.reload(); return; }
    restore();
  });

  var initial = readState();
  var language = chosenLanguage(initial.lang);
  if (languages.length > 1) {
    languages.forEach(function (l) {
      var option = document.createElement("option");
      option.value = l.code;
      option.textContent = l.name + " (" + l.count + ")";
      option.lang = l.code;
      languageSelect.appendChild(option);
    });
    root.querySelector(".search__languages").hidden = false;
  }
  languageSelect.value = language;
  var offline = location.protocol === "file:";
  statusLine.textContent = "Loading the search index…";
  /* After a live edit the pages are rewritten at once, the index a little later: say so. */
  need(root.getAttribute("data-offline"), "version").then(function (indexed) {
    root.querySelector(".search__stale").hidden = indexed === root.getAttribute("data-version");
  }, function () { root.querySelector(".search__stale").hidden = false; });
  (offline ? offlineEngine(root.getAttribute("data-offline"), language)
           : pagefindEngine(root.getAttribute("data-pagefind"), language))
    .then(function (ready) {
      engine = ready;
      root.setAttribute("data-engine", ready.mode);
      return restore();
    })
    .catch(fail);
})();
