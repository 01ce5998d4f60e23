/* kesu search: answers Material for MkDocs' search box from kesu's sharded bigram index.
 *
 * The index is written by generator/search.py (its docstring describes the files). This script
 * runs in one of two places:
 *  - as Material's search worker: overrides/main.html points Material's config.search here
 *    (assets/javascripts/workers/, beside Material's own worker);
 *  - inside the page, for sites opened from file://, where browsers refuse both workers and
 *    fetch(): loaded as a plain <script>, it replaces window.Worker with KesuPageWorker, which
 *    runs the same engine and reads the index files through <script> tags.
 * Either way it speaks Material's worker protocol:
 *   {type: SETUP, data: {config, docs}} -> {type: READY}
 *   {type: QUERY, data: "text"}         -> {type: RESULT, data: {items: [[page, ...sections], ...]}}
 * A site whose search_index.json was not written by kesu (plain `mkdocs build`) is handed to
 * Material's own worker, whose URL follows the '#' of this script's URL.
 */
(function () {
  "use strict"

  var SETUP = 0, READY = 1, QUERY = 2, RESULT = 3
  // This script sits beside Material's worker, whose language files are found relative to the
  // worker's URL (../lunr) when it takes over a site that kesu did not index.
  var SITE_FROM_SCRIPT = "../../../"
  var WRAPPER = "kesuSearchLoad("
  // Pages whose fragments (titles, texts) are loaded for snippets: the ones Material shows first.
  var SHOWN = 10
  // A section must hold this share of the query's terms to be listed (all of them for short queries).
  var MIN_SHARE = 0.6
  var SNIPPET = 160
  var HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/
  var TOKEN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[a-z0-9]+/g

  function normalize(text) {
    return text.normalize("NFKC").toLowerCase()
  }

  /* Query words and their index terms, as generator/search.py's terms_of() cuts text. */
  function queryWords(query) {
    var words = [], seen = {}
    var tokens = normalize(query).match(TOKEN) || []
    tokens.forEach(function (token) {
      if (seen[token]) return
      seen[token] = true
      var terms = []
      if (!HAN.test(token[0]) || token.length === 1) {
        terms.push(token)
      } else {
        for (var i = 0; i + 1 < token.length; i++) terms.push(token.slice(i, i + 2))
      }
      words.push({ text: token, terms: terms })
    })
    return words
  }

  /* FNV-1a over code points, the same as generator/search.py's shard_of(). */
  function shardOf(term, shards) {
    var hash = 0x811c9dc5
    for (var ch of term) hash = Math.imul(hash ^ ch.codePointAt(0), 0x01000193) >>> 0
    return hash % shards
  }

  /* n section ids of idBytes each (little-endian), then n weight bytes; see encode_postings(). */
  function decodePostings(encoded, idBytes) {
    var bytes = atob(encoded), count = bytes.length / (idBytes + 1)
    var sections = new Array(count), weights = new Array(count)
    for (var i = 0; i < count; i++) {
      var id = 0
      for (var b = idBytes - 1; b >= 0; b--) id = id * 256 + bytes.charCodeAt(i * idBytes + b)
      sections[i] = id
      var level = bytes.charCodeAt(count * idBytes + i)
      weights[i] = level * level  // stored as a square root, see generator/search.py
    }
    return { sections: sections, weights: weights }
  }

  function escapeHtml(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;")
  }

  /* Spans [start, end) of the words in text, without overlaps. A word that is not in the text as
   * typed (退款不到账 where the page says 退款迟迟不到账) is marked by the bigrams it shares. */
  function matchSpans(text, words) {
    var haystack = normalize(text)
    if (haystack.length !== text.length) haystack = text.toLowerCase()
    var spans = []
    function mark(needle) {
      for (var at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + 1)) {
        var end = at + needle.length
        if (!spans.some(function (s) { return at < s[1] && s[0] < end })) spans.push([at, end])
      }
    }
    words.slice().sort(function (a, b) { return b.text.length - a.text.length }).forEach(function (word) {
      if (haystack.indexOf(word.text) !== -1 || word.terms.length < 2) mark(word.text)
      else word.terms.forEach(mark)
    })
    spans.sort(function (a, b) { return a[0] - b[0] })
    // Adjacent bigrams of one run become one mark: 退款 + 款迟 -> 退款迟.
    return spans.reduce(function (merged, span) {
      var last = merged[merged.length - 1]
      if (last && span[0] <= last[1]) last[1] = Math.max(last[1], span[1])
      else merged.push(span)
      return merged
    }, [])
  }

  /* Escaped text with the words marked; long texts are cut to a window around the first match. */
  function highlight(text, words, cut) {
    var spans = matchSpans(text, words), start = 0, end = text.length
    if (cut && text.length > SNIPPET) {
      start = spans.length ? Math.max(0, spans[0][0] - SNIPPET / 4) : 0
      end = Math.min(text.length, start + SNIPPET)
    }
    var out = start > 0 ? "…" : "", at = start
    spans.forEach(function (span) {
      if (span[0] < at || span[1] > end) return
      out += escapeHtml(text.slice(at, span[0])) + "<mark data-md-highlight>" +
        escapeHtml(text.slice(span[0], span[1])) + "</mark>"
      at = span[1]
    })
    return out + escapeHtml(text.slice(at, end)) + (end < text.length ? "…" : "")
  }

  function containsWord(texts, word) {
    return texts.some(function (text) { return normalize(text).indexOf(word.text) !== -1 })
  }

  /* Material lists a result's missing words: a word counts as present when any of its terms is. */
  function touchesWord(texts, word) {
    return texts.some(function (text) {
      var normal = normalize(text)
      return word.terms.some(function (term) { return normal.indexOf(term) !== -1 })
    })
  }

  var OPENING = /^[\s“”"'‘’「『（(《]+/
  var PAUSE = /[，。！？、：；,.!?:;“”"（）()《》\s]/

  /* Material completes the last word typed with the last entry of `suggest`, if it starts with
   * it: offer the best-ranked title or heading that does, up to its first punctuation mark. */
  function suggestion(query, titlesOfPages) {
    var typed = query.split(/[\s-]+/).pop()
    if (!typed) return []
    for (var p = 0; p < titlesOfPages.length; p++) {
      for (var t = 0; t < titlesOfPages[p].length; t++) {
        var title = titlesOfPages[p][t].replace(OPENING, ""), pause = title.search(PAUSE)
        var phrase = pause === -1 ? title : title.slice(0, pause)
        if (phrase.length > typed.length && phrase.indexOf(typed) === 0) return [phrase]
      }
    }
    return []
  }

  /* ---------------------------------------------------------------------------------------- */

  /* From the file system a folder opens as a listing: link its index.html (kesu build --offline). */
  function fileLocation(location) {
    var parts = location.split("#"), path = parts[0]
    if (path === "" || path.slice(-1) === "/") path += "index.html"
    return path + (parts.length > 1 ? "#" + parts.slice(1).join("#") : "")
  }

  function Engine(site, load, locate) {
    this.site = site        // URL of the site's root
    this.load = load        // path under search/ -> Promise of the file's data
    this.locate = locate || function (location) { return location }
    this.files = {}
    this.manifest = null
  }

  Engine.prototype.file = function (path) {
    if (!this.files[path]) {
      var self = this
      this.files[path] = this.load(new URL("search/" + path, this.site).href).catch(function (error) {
        delete self.files[path]  // a failed load is tried again by the next query
        throw error
      })
    }
    return this.files[path]
  }

  Engine.prototype.setup = function (config, options) {
    this.manifest = config.kesu
    this.suggest = Boolean(options && options.suggest)
    this.pages = this.file("kesu/pages.js").then(function (pages) {
      // Sections are numbered page after page; sectionPage maps a section to its page.
      var total = pages.reduce(function (sum, page) { return sum + page[2] }, 0)
      var sectionPage = new Int32Array(total), first = new Int32Array(pages.length), at = 0
      pages.forEach(function (page, number) {
        first[number] = at
        for (var i = 0; i < page[2]; i++) sectionPage[at++] = number
      })
      return { list: pages, sectionPage: sectionPage, first: first }
    })
    this.pages.catch(function () {})  // reported by the query that needs it
  }

  Engine.prototype.postings = function (term) {
    var shard = "kesu/s/" + shardOf(term, this.manifest.shards) + ".js", idBytes = this.manifest.id_bytes
    return this.file(shard).then(function (terms) {
      var entry = terms[term]
      if (typeof entry === "string") entry = terms[term] = decodePostings(entry, idBytes)
      return entry || { sections: [], weights: [] }
    })
  }

  /* Every section holding enough of the query's terms: {section: {hits, score, words}}, where
   * words has bit i set when the section holds a term of the query's i-th word. */
  Engine.prototype.matchSections = function (words) {
    var terms = [], wordsOf = []
    words.forEach(function (w, i) {
      w.terms.forEach(function (t) {
        var at = terms.indexOf(t)
        if (at === -1) at = terms.push(t) - 1
        wordsOf[at] = (wordsOf[at] || 0) | (1 << Math.min(i, 30))
      })
    })
    return Promise.all(terms.map(this.postings, this)).then(function (lists) {
      var found = new Map()
      lists.forEach(function (list, t) {
        for (var i = 0; i < list.sections.length; i++) {
          var hit = found.get(list.sections[i])
          if (!hit) found.set(list.sections[i], hit = { hits: 0, score: 0, words: 0 })
          hit.hits += 1
          hit.score += list.weights[i]
          hit.words |= wordsOf[t]
        }
      })
      var needed = terms.length <= 2 ? terms.length : Math.ceil(terms.length * MIN_SHARE)
      found.forEach(function (hit, section) { if (hit.hits < needed) found.delete(section) })
      return found
    })
  }

  /* Pages ranked by their best section: most query terms first, then weight. */
  function rankPages(found, pages) {
    var byPage = new Map()
    found.forEach(function (hit, section) {
      var number = pages.sectionPage[section], page = byPage.get(number)
      if (!page) byPage.set(number, page = { number: number, hits: 0, score: 0, words: 0, sections: [] })
      page.words |= hit.words
      var score = hit.score * pages.list[number][3]  // the page's search boost
      page.sections.push({ section: section, hits: hit.hits, score: score })
      if (hit.hits > page.hits || (hit.hits === page.hits && score > page.score)) {
        page.hits = hit.hits
        page.score = score
        page.bestSection = section
      }
    })
    return Array.from(byPage.values()).sort(function (a, b) {
      return b.hits - a.hits || b.score - a.score || a.number - b.number
    })
  }

  Engine.prototype.search = function (query, all) {
    var self = this, words = queryWords(query)
    if (!words.length) return Promise.resolve({ items: [] })
    return Promise.all([this.pages, this.matchSections(words)]).then(function (loaded) {
      var pages = loaded[0], found = loaded[1]
      var ranked = rankPages(found, pages)
      var shown = ranked.slice(0, SHOWN)
      return Promise.all(shown.map(function (page) {
        return self.file("kesu/f/" + page.number + ".js")
      })).then(function (fragments) {
        var items = shown.map(function (page, i) {
          return self.detailedGroup(page, pages, fragments[i], words)
        })
        // Among the pages shown first, the ones holding every word as written come first.
        items.sort(function (a, b) { return b.exact - a.exact })
        ranked.slice(SHOWN).forEach(function (page) {
          items.push(self.plainGroup(page, pages, words))
        })
        var result = { items: items.map(function (group) { return group.items }) }
        if (self.suggest) result.suggest = suggestion(query, shown.map(function (page, i) {
          return [pages.list[page.number][1]].concat(fragments[i].map(function (part) { return part[1] }))
        }))
        // Every matching page, in rank order: for measuring recall (bench/run.py), not for Material.
        if (all) result.locations = ranked.map(function (page) { return pages.list[page.number][0] })
        return result
      })
    })
  }

  /* A page and its matching sections, with snippets from its fragment. */
  Engine.prototype.detailedGroup = function (page, pages, fragment, words) {
    var locate = this.locate, path = pages.list[page.number][0], title = pages.list[page.number][1]
    var first = pages.first[page.number], best = page.score
    var terms = function (texts) {
      var result = {}
      words.forEach(function (w) { result[w.text] = touchesWord(texts, w) })
      return result
    }
    var intro = fragment[0] && fragment[0][0] === "" ? fragment[0] : null
    var introHit = intro && page.sections.some(function (s) { return s.section === first })
    var pageItem = {
      location: locate(path),
      title: highlight(title, words, false),
      text: introHit ? highlight(intro[2], words, true) : "",
      score: best,
      terms: terms([title].concat(introHit ? [intro[2]] : []))
    }
    var sections = page.sections.filter(function (s) { return !(intro && s.section === first) })
      .sort(function (a, b) { return b.hits - a.hits || b.score - a.score })
      .map(function (s) {
        var part = fragment[s.section - first] || ["", "", ""]
        return {
          location: locate(path + (part[0] ? "#" + part[0] : "")),
          title: highlight(part[1], words, false),
          text: highlight(part[2], words, true),
          score: s.section === page.bestSection ? best : s.score,
          terms: terms([part[1], part[2]])
        }
      })
    var everything = [title].concat(fragment.map(function (part) { return part[1] + "\n" + part[2] }))
    var exact = words.every(function (w) { return containsWord(everything, w) }) ? 1 : 0
    return { exact: exact, items: [pageItem].concat(sections) }
  }

  /* A page further down the list: title only; its fragment is not loaded. */
  Engine.prototype.plainGroup = function (page, pages, words) {
    var result = {}
    words.forEach(function (w, i) { result[w.text] = (page.words & (1 << Math.min(i, 30))) !== 0 })
    return {
      exact: 0,
      items: [{
        location: this.locate(pages.list[page.number][0]),
        title: highlight(pages.list[page.number][1], words, false),
        text: "", score: page.score, terms: result
      }]
    }
  }

  /* ---------------------------------------------------------------------------------------- */

  function parseWrapped(text) {
    return JSON.parse(text.slice(text.indexOf(WRAPPER) + WRAPPER.length, text.lastIndexOf(")")))
  }

  function fetchWrapped(url) {
    return fetch(url).then(function (response) {
      if (!response.ok) throw new Error(url + ": " + response.status)
      return response.text()
    }).then(parseWrapped)
  }

  /* file:// pages: each index file is a script calling kesuSearchLoad(data). */
  var waiting = {}
  function loadByScript(url) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script")
      waiting[script.src = url] = resolve
      script.onerror = function () { reject(new Error(url)) }
      script.onload = function () { script.remove() }
      document.head.appendChild(script)
    })
  }

  /* Handles one message; queries are answered in the order they were asked. */
  function Handler(site, load, fallback, locate) {
    var engine = new Engine(site, load, locate), queue = Promise.resolve()
    // The page table is needed by every query and its path is fixed: load it while the page is
    // still starting up, before Material's setup message arrives (a failed load is forgotten).
    engine.file("kesu/pages.js").catch(function () {})
    return function (message) {
      if (message.type === SETUP) {
        if (!message.data.config.kesu) return fallback(message)
        engine.setup(message.data.config, message.data.options)
        return Promise.resolve({ type: READY })
      }
      if (message.type !== QUERY) return Promise.resolve(null)
      var answer = queue.then(function () { return engine.search(message.data, message.all) })
        .catch(function (error) {
          console.warn("kesu search: " + error.message)
          return { items: [] }
        })
        .then(function (data) { return { type: RESULT, data: data } })
      queue = answer
      return answer
    }
  }

  if (typeof document === "undefined") {
    /* Worker. */
    var delegated = false
    var handle = Handler(new URL(SITE_FROM_SCRIPT, self.location.href), fetchWrapped, function (message) {
      // Not a kesu index: let Material's own worker answer from now on.
      delegated = true
      importScripts(decodeURIComponent(self.location.hash.slice(1)))
      self.dispatchEvent(new MessageEvent("message", { data: message }))
      return Promise.resolve(null)
    })
    self.kesuSearch = handle
    self.addEventListener("message", function (event) {
      if (delegated) return
      handle(event.data).then(function (reply) { if (reply) self.postMessage(reply) })
    })
  } else {
    /* Page: only needed where real workers cannot run. */
    window.kesuSearchLoad = function (data) {
      var resolve = waiting[document.currentScript.src]
      delete waiting[document.currentScript.src]
      if (resolve) resolve(data)
    }
    if (location.protocol === "file:") {
      var script = document.currentScript.src
      window.Worker = function KesuPageWorker() {
        var target = new EventTarget()
        var handle = Handler(new URL(SITE_FROM_SCRIPT, script), loadByScript, function () {
          console.warn("kesu search: this site's search index was not written by kesu")
          return Promise.resolve(null)
        }, fileLocation)
        target.postMessage = function (message) {
          handle(message).then(function (reply) {
            if (reply) target.dispatchEvent(new MessageEvent("message", { data: reply }))
          })
        }
        target.terminate = function () {}
        return target
      }
    }
  }
})()
