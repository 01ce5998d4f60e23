/* kesu: the case library's filter (/cases/), on top of a page that reads fine without it.
 *
 * /cases/ is generated with its first page of cases, links to static facet pages and a hidden
 * <form class="kesu-case-filter">. This script shows the form and filters in place: by type,
 * industry, severity, channel, origin and free text, fifty cases a page, the state kept in the URL
 * (/cases/?type=parcel-lost-damaged&severity=major&q=退款&page=2), so that the back button and shared
 * links work. Facet values are the stable ids of generator/model.py; a URL may name a value by its
 * label instead (?channel=电话, as links before the ids did, or the edition's own label ?channel=電話):
 * each <option> lists those names in data-aliases, and the URL is rewritten with the id. After every applied filter the list <ol id="kesu-case-results"> carries
 * data-applied="<the URL parameters it shows>" and data-count="<matching cases>".
 *
 * Data (generator/caselib.py), loaded in parts from cases/data/: head.js (facets and every case's
 * facet values: enough to filter and count), c/<k>.js (ids and titles of a chunk of cases, loaded
 * for the rows shown) and t/<k>.js (summary and tags, loaded only for free text). Source text is
 * inserted with textContent only.
 *
 * On other pages it points links marked data-kesu-list (a type page's 查看全部) at the filterable list.
 */
(function () {
  "use strict";

  var FACETS = ["type", "industry", "severity", "channel", "origin"];
  var PAGE_SIZE = 50;
  var WRAPPER = "kesuCasesLoad(";
  var TYPING_PAUSE_MS = 150;
  // The interface strings (assets/kesu-strings.js); without them each message shows its id.
  var text = (typeof window === "object" && window.kesuText) || function (id) { return id; };

  /* ---- pure functions (exported for Node's tests) ---------------------------------------- */

  function normalizeText(text) {
    return String(text).normalize("NFKC").toLowerCase();
  }

  // Free text: every whitespace-separated word must occur in the case's text. fold (foldOf) brings
  // a word typed in Traditional characters to the Simplified the texts are folded to.
  function queryTerms(q, fold) {
    var normal = normalizeText(q);
    return (fold ? fold(normal) : normal).split(/\s+/).filter(Boolean);
  }

  // pairs: "TSTS...", a Traditional character then its Simplified form (t/fold.js, generator/fold.py).
  function foldOf(pairs) {
    var map = {}, chars = Array.from(pairs || "");
    for (var i = 0; i + 1 < chars.length; i += 2) map[chars[i]] = chars[i + 1];
    return function (text) {
      return Array.from(text, function (char) { return map[char] || char; }).join("");
    };
  }

  function emptyState() {
    return { type: "", industry: "", severity: "", channel: "", origin: "", q: "", page: 1 };
  }

  // The filter state a URL's query string asks for; anything else in it is ignored.
  function parseState(search) {
    var params = new URLSearchParams(search), state = emptyState();
    FACETS.forEach(function (name) { state[name] = (params.get(name) || "").trim(); });
    state.q = (params.get("q") || "").trim().slice(0, 200);
    var page = parseInt(params.get("page") || "1", 10);
    state.page = page >= 1 && page < 1e6 ? page : 1;
    return state;
  }

  // The state with each facet named by its id: aliases is {facet: {normalized name: id}} (see aliasTable).
  function resolveAliases(state, aliases) {
    var resolved = Object.assign({}, state);
    FACETS.forEach(function (name) {
      var names = aliases[name], wanted = normalizeText(state[name] || "").trim();
      if (wanted && names && Object.prototype.hasOwnProperty.call(names, wanted)) resolved[name] = names[wanted];
    });
    return resolved;
  }

  // {normalized name: id} of one facet from its options: [id, shown label, "alias|alias"] each.
  function aliasTable(options) {
    var table = Object.create(null);
    options.forEach(function (option) {
      var id = option[0];
      if (!id) return;
      [option[1]].concat((option[2] || "").split("|")).forEach(function (name) {
        var key = normalizeText(name.trim());
        if (key && !(key in table)) table[key] = id;
      });
      table[normalizeText(id)] = id;
    });
    return table;
  }

  // The canonical query string of a state: facets in a fixed order, then q, then page (only past 1).
  function stateToSearch(state) {
    var params = new URLSearchParams();
    FACETS.forEach(function (name) { if (state[name]) params.set(name, state[name]); });
    if (state.q && state.q.trim()) params.set("q", state.q.trim());
    if (state.page > 1) params.set("page", String(state.page));
    return params.toString();
  }

  // A case's values of one facet column: a number, or a list of numbers for several types.
  function valuesOf(column, index) {
    var value = column[index];
    return typeof value === "number" ? [value] : value;
  }

  // {facet: value number} for the state's facets; a value the data does not have matches nothing (-1).
  function compileFilters(head, state) {
    var filters = [];
    head.f.forEach(function (facet) {
      var name = facet[0], wanted = state[name];
      if (!wanted) return;
      var number = facet[1].findIndex(function (entry) { return entry[0] === wanted; });
      filters.push({ name: name, value: number });
    });
    return filters;
  }

  function textMatches(text, terms) {
    for (var i = 0; i < terms.length; i++) if (text.indexOf(terms[i]) === -1) return false;
    return true;
  }

  // The facets a case fails; texts(i) is its normalized text (only asked for when there are terms).
  function failedFilters(head, filters, index) {
    var failed = [];
    for (var k = 0; k < filters.length; k++) {
      if (valuesOf(head.x[filters[k].name], index).indexOf(filters[k].value) === -1) failed.push(filters[k].name);
    }
    return failed;
  }

  /* The matching cases (indices in list order) and, per facet, how many cases each value would
   * give with the other filters kept: a value's count is what choosing it shows. */
  function filterCases(head, state, texts, fold) {
    var filters = compileFilters(head, state), terms = queryTerms(state.q || "", fold);
    var matches = [], counts = {};
    head.f.forEach(function (facet) { counts[facet[0]] = facet[1].map(function () { return 0; }); });
    for (var i = 0; i < head.n; i++) {
      if (terms.length && !textMatches(texts(i), terms)) continue;
      var failed = failedFilters(head, filters, i);
      if (failed.length > 1) continue;
      if (failed.length === 0) matches.push(i);
      head.f.forEach(function (facet) {
        var name = facet[0];
        if (failed.length === 1 && failed[0] !== name) return;
        valuesOf(head.x[name], i).forEach(function (value) { counts[name][value] += 1; });
      });
    }
    return { matches: matches, counts: counts };
  }

  // The page of matches to show: {page, pages, start (0-based), items}; a page past the end shows the last.
  function pageSlice(matches, page, size) {
    var pages = Math.max(1, Math.ceil(matches.length / size));
    var current = Math.min(Math.max(1, page || 1), pages);
    var start = (current - 1) * size;
    return { page: current, pages: pages, start: start, items: matches.slice(start, start + size) };
  }

  // The chunk files a page of cases needs.
  function chunksFor(items, chunkSize) {
    var chunks = [];
    items.forEach(function (index) {
      var chunk = Math.floor(index / chunkSize);
      if (chunks.indexOf(chunk) === -1) chunks.push(chunk);
    });
    return chunks;
  }

  // One row's line under the title, the same as the generated list: 重大投诉 · 电话 · 快递物流 · types.
  function metaLine(head, index) {
    var labels = {};
    head.f.forEach(function (facet) {
      labels[facet[0]] = valuesOf(head.x[facet[0]], index).map(function (value) { return facet[1][value][1]; });
    });
    return [labels.severity[0], labels.channel[0], labels.industry[0], labels.type.join("、")].join(" · ");
  }

  // A case's origin group, [id, label]: documented or teaching, the label as this edition shows it.
  function originOf(head, index) {
    var origins = head.f.filter(function (facet) { return facet[0] === "origin"; })[0][1];
    return origins[valuesOf(head.x.origin, index)[0]];
  }

  function isTeaching(head, index) {
    return originOf(head, index)[0] === "teaching";
  }

  function parseWrapped(text) {
    return JSON.parse(text.slice(text.indexOf(WRAPPER) + WRAPPER.length, text.lastIndexOf(")")));
  }

  var api = {
    FACETS: FACETS, normalizeText: normalizeText, queryTerms: queryTerms, foldOf: foldOf, emptyState: emptyState,
    parseState: parseState, resolveAliases: resolveAliases, aliasTable: aliasTable, stateToSearch: stateToSearch, valuesOf: valuesOf, filterCases: filterCases,
    pageSlice: pageSlice, chunksFor: chunksFor, metaLine: metaLine, originOf: originOf, isTeaching: isTeaching, parseWrapped: parseWrapped
  };
  if (typeof module === "object" && module.exports) {
    module.exports = api;
    return;
  }

  /* ---- loading the data ------------------------------------------------------------------ */

  var fromFiles = location.protocol === "file:";
  var waiting = {};

  // file:// pages cannot fetch(): each data file is a script calling kesuCasesLoad(data).
  window.kesuCasesLoad = function (data) {
    var script = document.currentScript;
    if (script && waiting[script.src]) waiting[script.src](data);
  };

  function loadByScript(url) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = url;
      waiting[script.src] = resolve;
      script.onerror = function () { reject(new Error(url)); };
      script.onload = function () { script.remove(); };
      document.head.appendChild(script);
    });
  }

  function loadByFetch(url) {
    return fetch(url).then(function (response) {
      if (!response.ok) throw new Error(url + ": " + response.status);
      return response.text();
    }).then(parseWrapped);
  }

  function Store(base, version) {
    var files = {};
    function file(name, hash) {
      if (!files[name]) {
        var url = new URL(name + (fromFiles ? "" : "?h=" + hash), base).href;
        files[name] = (fromFiles ? loadByScript : loadByFetch)(url);
        files[name].catch(function () { delete files[name]; });
      }
      return files[name];
    }
    var store = {
      head: function () { return file("head.js", version); },
      chunk: function (head, number) { return file("c/" + number + ".js", head.h); },
      // Every case's text (title, summary, tags), folded by the generator as normalizeText folds a query.
      texts: function (head) {
        if (!store.textsLoaded) {
          var parts = [];
          for (var k = 0; k < head.chunks; k++) parts.push(file("t/" + k + ".js", head.h));
          if (head.chunks) parts.push(file("t/fold.js", head.h));  // written beside the texts
          store.textsLoaded = Promise.all(parts).then(function (chunks) {
            var pairs = head.chunks ? chunks.pop() : "";
            var texts = [].concat.apply([], chunks);
            texts.fold = foldOf(pairs);
            return texts;
          });
          store.textsLoaded.catch(function () { store.textsLoaded = null; });
        }
        return store.textsLoaded;
      }
    };
    return store;
  }

  /* ---- the page ------------------------------------------------------------------------- */

  function caseHref(id) {
    return id + (fromFiles ? "/index.html" : "/");
  }

  function listHref(target) {
    return fromFiles ? target.replace(/\/\?/, "/index.html?") : target;
  }

  function rowElement(head, index, entry) {
    var item = document.createElement("li"), link = document.createElement("a");
    link.href = caseHref(entry[0]);
    link.textContent = entry[1];
    item.appendChild(link);
    if (isTeaching(head, index)) {
      var badge = document.createElement("span");
      badge.className = "kesu-badge";
      badge.textContent = originOf(head, index)[1]; // 教学案例, the origin group's label
      item.appendChild(document.createTextNode(" "));
      item.appendChild(badge);
    }
    var meta = document.createElement("span");
    meta.className = "kesu-meta";
    meta.textContent = metaLine(head, index);
    item.appendChild(document.createElement("br"));
    item.appendChild(meta);
    return item;
  }

  function CaseLibrary(form) {
    this.form = form;
    this.list = document.getElementById("kesu-case-results");
    this.status = document.querySelector(".kesu-case-status");
    this.pager = document.querySelector("nav.kesu-pager");
    if (!this.pager) {
      this.pager = document.createElement("nav");
      this.pager.className = "kesu-pager";
      this.pager.setAttribute("aria-label", text("cases.pager"));
      this.list.parentNode.insertBefore(this.pager, this.list.nextSibling);
    }
    this.store = Store(new URL(form.getAttribute("data-base"), location.href).href, form.getAttribute("data-version"));
    this.total = parseInt(this.list.getAttribute("data-count"), 10);
    this.labels = {};
    this.aliases = {};
    this.applied = 0;
    var library = this;
    FACETS.concat(["q"]).forEach(function (name) {
      var field = form.elements[name];
      if (field && field.options) {
        library.labels[name] = Array.prototype.map.call(field.options, function (option) {
          return option.textContent.replace(/（\d+）$/, "");
        });
        library.aliases[name] = aliasTable(Array.prototype.map.call(field.options, function (option, i) {
          return [option.value, library.labels[name][i], option.getAttribute("data-aliases")];
        }));
      }
    });
  }

  // The filter state the page's URL asks for, each value named by its id.
  CaseLibrary.prototype.urlState = function () {
    return resolveAliases(parseState(location.search), this.aliases);
  };

  CaseLibrary.prototype.formState = function () {
    var state = emptyState(), form = this.form;
    FACETS.forEach(function (name) { state[name] = form.elements[name].value; });
    state.q = form.elements.q.value.trim();
    return state;
  };

  CaseLibrary.prototype.showState = function (state) {
    var form = this.form;
    FACETS.forEach(function (name) {
      var select = form.elements[name];
      select.value = state[name];
      if (select.value !== state[name]) { select.value = ""; state[name] = ""; } // a value this library lacks
    });
    form.elements.q.value = state.q;
  };

  CaseLibrary.prototype.remember = function (state, how) {
    var search = stateToSearch(state);
    var url = location.pathname + (search ? "?" + search : "") + location.hash;
    try {
      if (how === "push" && url !== location.pathname + location.search + location.hash) history.pushState(null, "", url);
      else if (how === "replace") history.replaceState(null, "", url);
    } catch (error) { /* a browser that refuses to rewrite this URL: the filter still works */ }
  };

  CaseLibrary.prototype.apply = function (state, how) {
    var library = this, ticket = ++this.applied;
    this.remember(state, how);
    this.list.setAttribute("aria-busy", "true");
    return this.store.head().then(function (head) {
      var texts = queryTerms(state.q).length ? library.store.texts(head) : Promise.resolve(null);
      return texts.then(function (loaded) {
        var result = filterCases(head, state, function (i) { return loaded[i]; }, loaded && loaded.fold);
        var slice = pageSlice(result.matches, state.page, PAGE_SIZE);
        state.page = slice.page;
        var chunks = chunksFor(slice.items, head.chunk);
        return Promise.all(chunks.map(function (k) { return library.store.chunk(head, k); })).then(function (parts) {
          if (ticket !== library.applied) return; // a later filter has taken over
          var byChunk = {};
          chunks.forEach(function (k, i) { byChunk[k] = parts[i]; });
          library.show(head, state, result, slice, byChunk);
        });
      });
    }).catch(function (error) {
      if (ticket !== library.applied) return;
      library.list.removeAttribute("aria-busy");
      library.status.textContent = text("cases.load_failed");
      console.warn("kesu cases: " + error.message);
    });
  };

  CaseLibrary.prototype.show = function (head, state, result, slice, byChunk) {
    var list = this.list, fragment = document.createDocumentFragment();
    slice.items.forEach(function (index) {
      fragment.appendChild(rowElement(head, index, byChunk[Math.floor(index / head.chunk)][index % head.chunk]));
    });
    list.replaceChildren(fragment);
    list.setAttribute("start", String(slice.start + 1));
    this.showCounts(result.counts);
    var count = result.matches.length;
    this.status.textContent = count === 0 ? text("cases.none")
      : text("cases.range", { first: slice.start + 1, last: slice.start + slice.items.length, total: count });
    this.showPager(state, slice);
    list.removeAttribute("aria-busy");
    list.setAttribute("data-count", String(count));
    list.setAttribute("data-applied", stateToSearch(state));
  };

  CaseLibrary.prototype.showCounts = function (counts) {
    var form = this.form, labels = this.labels;
    FACETS.forEach(function (name) {
      var options = form.elements[name].options;
      for (var i = 1; i < options.length; i++) options[i].textContent = labels[name][i] + "（" + counts[name][i - 1] + "）";
    });
  };

  CaseLibrary.prototype.showPager = function (state, slice) {
    var library = this, pager = this.pager;
    pager.replaceChildren();
    pager.hidden = slice.pages < 2;
    function button(label, page, disabled) {
      var element = document.createElement("button");
      element.type = "button";
      element.className = "md-button";
      element.textContent = label;
      element.disabled = disabled;
      element.addEventListener("click", function () {
        var next = Object.assign({}, state, { page: page });
        library.apply(next, "push").then(function () { library.status.scrollIntoView({ block: "nearest" }); });
      });
      return element;
    }
    var where = document.createElement("span");
    where.textContent = text("cases.page", { page: slice.page, pages: slice.pages });
    pager.append(button(text("cases.previous"), slice.page - 1, slice.page <= 1), " ", where, " ",
      button(text("cases.next"), slice.page + 1, slice.page >= slice.pages));
  };

  CaseLibrary.prototype.start = function () {
    var library = this, form = this.form, typing = null;
    form.hidden = false;
    function applyNow(how) {
      clearTimeout(typing);
      library.apply(library.formState(), how);
    }
    // Enter in the text box or leaving it applies at once; a change of a select too.
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      applyNow("push");
    });
    form.addEventListener("change", function () { applyNow("push"); });
    form.addEventListener("input", function (event) {
      if (event.target.name !== "q") return;
      clearTimeout(typing);
      // One history entry per search, not per keystroke.
      var how = new URLSearchParams(location.search).get("q") ? "replace" : "push";
      typing = setTimeout(function () { library.apply(library.formState(), how); }, TYPING_PAUSE_MS);
    });
    // Whoever goes to the text box is about to type: its data loads meanwhile.
    form.elements.q.addEventListener("focus", function () {
      library.store.head().then(library.store.texts).catch(function () { /* retried when applied */ });
    });
    form.addEventListener("reset", function () {
      setTimeout(function () { applyNow("push"); }, 0); // the fields are emptied after this event
    });
    // The facet links filter in place (they stay links to the static pages for new tabs).
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a[data-filter-name]");
      if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
      event.preventDefault();
      var state = emptyState();
      state[link.getAttribute("data-filter-name")] = link.getAttribute("data-filter-value");
      library.showState(state);
      library.apply(state, "push").then(function () { form.scrollIntoView({ block: "start" }); });
    });
    window.addEventListener("popstate", function () {
      var state = library.urlState();
      library.showState(state);
      library.apply(state, null);
    });
    var state = library.urlState();
    library.showState(state);
    if (stateToSearch(state) === "") {
      // The generated page already shows the first page of the whole list: nothing to load.
      this.showPager(state, pageSlice(new Array(this.total), 1, PAGE_SIZE));
      this.list.setAttribute("data-applied", "");
    } else {
      this.apply(state, "replace");
    }
  };

  function start() {
    document.querySelectorAll("a[data-kesu-list]").forEach(function (link) {
      link.setAttribute("href", listHref(link.getAttribute("data-kesu-list")));
    });
    var form = document.querySelector("form.kesu-case-filter");
    if (form && document.getElementById("kesu-case-results") && window.URLSearchParams && window.Promise) {
      new CaseLibrary(form).start();
    }
  }

  try {
    start();
  } catch (error) {
    console.warn("kesu cases: " + error.message);
  }
})();
