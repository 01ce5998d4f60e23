/* kesu search in Zensical's search box. Loaded by overrides/main.html on Zensical's pages only,
 * before Zensical's bundle; Material for MkDocs does not need it.
 *
 * Zensical's box fetches search.json, keeps its documents in the page and asks its worker only for
 * the ids of the documents that match:
 *   {type: 0, data: {config, items}}                -> {type: 1}
 *   {type: 2, data: {input: "text", ...}}           -> {type: 3, data: {items: [{id, matches}], pagination, ...}}
 * kesu's worker (kesu-search.js, where the override points config.search) speaks Material's protocol
 * and answers with the sections themselves. This script stands in for the worker the bundle creates:
 * it asks kesu's worker, appends the sections found to the documents the box renders from, and
 * answers with their ids. A site whose search.json kesu did not write (no config.kesu, e.g. a plain
 * `zensical build`) is answered by Zensical's own worker, whose URL follows the '#'.
 *
 * Around the box it gives Zensical what Material has:
 * - the box itself: kesu turns Zensical's own search index off (generator/engines/zensical.py), and
 *   Zensical's header template then leaves the box out; it is put back where the template puts it;
 * - Chinese labels: Zensical's search interface is English only (its documentation says so; the
 *   theme's language does not reach it); TEXTS replaces them in the box's shadow root;
 * - `?q=` in a page's address opens the box with that query, as Material does;
 * - a result page that lacks some of the query's words says which (Material's 缺少 line), in the line
 *   under its title where Zensical shows a section's page.
 */
(function () {
  "use strict"

  var SETUP = 0, READY = 1, QUERY = 2, RESULT = 3
  var Inner = window.Worker  // the browser's, or kesu-search.js's stand-in on file:// pages
  var config = JSON.parse(document.getElementById("__config").textContent)
  var base = new URL(config.base || ".", location.href)
  var translations = config.translations || {}

  /* Zensical's English in its search box, in Chinese: the theme's own words where it has them, else
   * the catalogue's (generator/strings/zh-Hans.yml, loaded before this script by overrides/main.html). */
  var text = window.kesuText
  var TEXTS = {
    "Search": text("zensical.search"),
    "Close search": text("zensical.close"),
    "Filters": text("zensical.filters"),
    "Tags": text("zensical.tags"),
    "Search results": text("zensical.results"),
    "No results": translations["search.result.none"] || text("zensical.none"),
    "Loading search\u2026": text("zensical.loading"),
    "Search is unavailable. Reload the page to try again.": text("zensical.unavailable"),
    "Use Up and Down arrow keys to move between tags. Press Space or Enter to toggle a tag.": text("zensical.tag_keys")
  }
  var ONE_RESULT = translations["search.result.one"] || text("zensical.one_result")
  var RESULTS = translations["search.result.other"] || text("zensical.results_count")
  var MISSING = translations["search.result.term.missing"] || text("zensical.missing")
  var LABELLED = ["aria-label", "placeholder", "title"]

  /* The header's search button as Zensical's template writes it with its search on. */
  var SEARCH_BOX =
    '<label class="md-header__button md-icon" for="__search">' +
    '<svg xmlns="http://www.w3.org/2000/svg" fill="none" stroke="currentColor" stroke-linecap="round" ' +
    'stroke-linejoin="round" stroke-width="2" class="lucide lucide-search" viewBox="0 0 24 24">' +
    '<path d="m21 21-4.34-4.34"/><circle cx="11" cy="11" r="8"/></svg>' +
    '<span class="md-visually-hidden">' + text("zensical.find") + '</span></label>' +
    '<div class="md-search" data-md-component="search" role="dialog" aria-label="' + text("zensical.find") + '">' +
    '<button type="button" class="md-search__button">' + text("zensical.find") + '</button></div>'

  function restoreSearchBox() {
    if (document.querySelector("[data-md-component=search]")) return
    var source = document.querySelector(".md-header__inner > .md-header__source")
    if (!source) return
    var box = document.createElement("template")
    box.innerHTML = SEARCH_BOX
    source.parentNode.insertBefore(box.content, source)
  }

  function chinese(text) {
    if (Object.prototype.hasOwnProperty.call(TEXTS, text)) return TEXTS[text]
    var count = /^([\d,]+) results?$/.exec(text)
    if (!count) return null
    var number = count[1].replace(/,/g, "")
    return number === "1" ? ONE_RESULT : RESULTS.replace("#", number)
  }

  /* The box's own words; the results (pages' titles and text) are left as they are. A result is
   * named by its title alone though it shows its page and text too: named by all it shows, as
   * screen-reader and voice-control users expect (axe: label-content-name-mismatch). */
  function mend(node) {
    var parent = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement
    if (node.nodeType === Node.ELEMENT_NODE && node.matches("[role=option][aria-labelledby]")) {
      node.removeAttribute("aria-labelledby")
    }
    if (parent && parent.closest("[role=option]")) return
    if (node.nodeType === Node.TEXT_NODE) {
      var text = chinese(node.data.trim())
      if (text !== null) node.data = text
      return
    }
    if (node.nodeType === Node.ELEMENT_NODE) {
      LABELLED.forEach(function (name) {
        var text = node.hasAttribute(name) && chinese(node.getAttribute(name))
        if (text) node.setAttribute(name, text)
      })
    }
    Array.prototype.forEach.call(node.childNodes, mend)
  }

  /* The box renders into an open shadow root of its own, made when the bundle starts it. */
  function watch(root) {
    searchRoot = root
    root.addEventListener("keydown", takeSuggestion, true)
    root.addEventListener("input", function () { suggest(null) }, true)
    var query = new URLSearchParams(location.search).get("q")
    new MutationObserver(function (records) {
      records.forEach(function (record) {
        if (record.type === "childList") Array.prototype.forEach.call(record.addedNodes, mend)
        else mend(record.target)
      })
      var input = query && root.querySelector("input[role=combobox]")
      if (input) {
        ask(input, query)
        query = null
      }
    }).observe(root, { subtree: true, childList: true, characterData: true, attributes: true,
                       attributeFilter: LABELLED.concat("aria-labelledby") })
    restyle(root)
    mend(root)
    if (query) setTimeout(function () {  // once the bundle listens for clicks on the box (same task)
      var box = document.querySelector("[data-md-component=search]")
      if (box) box.click()
    })
  }

  /* The grey line under a result (its page, or the words it lacks) at 45% of the text's colour is
   * too faint to read (axe: color-contrast 3.3:1 on white); the theme's colour, less faded. */
  var SHEET = "[role=option] menu { color: rgb(var(--color-foreground) / .65) }" +
    // The completion sits behind the typed text, in the same font and place (see suggest).
    "input[role=combobox] { position: relative }" +
    ".kesu-suggest { position: absolute; inset: 0; display: flex; align-items: center; overflow: hidden;" +
    " white-space: pre; pointer-events: none; color: rgb(var(--color-foreground) / .45); font-size: 16px;" +
    " font-family: var(--font-family); letter-spacing: -.25px }"

  function restyle(root) {
    if (!root.adoptedStyleSheets || !window.CSSStyleSheet || !CSSStyleSheet.prototype.replaceSync) return
    var sheet = new CSSStyleSheet()
    sheet.replaceSync(SHEET)
    root.adoptedStyleSheets = root.adoptedStyleSheets.concat(sheet)
  }

  /* Word completion, as Material's search.suggest: kesu's worker offers how the last word typed goes
   * on (a title or heading that starts with it); it shows in grey behind the typed text and the
   * right arrow at the end of the text takes it. */
  var searchRoot = null

  function suggestionLine(input) {
    var line = searchRoot.querySelector(".kesu-suggest")
    if (!line) {
      line = document.createElement("div")
      line.className = "kesu-suggest"
      line.setAttribute("aria-hidden", "true")
      input.parentNode.style.position = "relative"
      input.parentNode.insertBefore(line, input)
    }
    line.style.paddingInlineStart = getComputedStyle(input).paddingInlineStart
    return line
  }

  function suggest(query, words) {
    var input = searchRoot && searchRoot.querySelector("input[role=combobox]")
    if (!input) return
    var line = suggestionLine(input), value = input.value
    var typed = /[^\s-]*$/.exec(value)[0], phrase = words && words[words.length - 1]
    var fits = query !== null && query === value.trim() && typed && phrase && phrase.indexOf(typed) === 0
    line.textContent = fits ? value.slice(0, value.length - typed.length) + phrase : ""
  }

  function takeSuggestion(event) {
    var input = event.target, line = searchRoot.querySelector(".kesu-suggest")
    if (event.key !== "ArrowRight" || !line || !line.textContent || input.getAttribute("role") !== "combobox") return
    if (input.selectionStart !== input.value.length) return
    event.preventDefault()
    ask(input, line.textContent)
  }

  /* A shared ?q= link: the query in the box, as if typed in one input. */
  function ask(input, query) {
    input.value = query
    input.dispatchEvent(new Event("input", { bubbles: true }))
  }

  var attachShadow = Element.prototype.attachShadow
  Element.prototype.attachShadow = function (init) {
    var root = attachShadow.call(this, init)
    if (init && init.mode === "open") {
      Element.prototype.attachShadow = attachShadow  // only the search box's
      watch(root)
    }
    return root
  }

  function emptyResult() {
    return {
      items: [],
      query: { select: { documents: { size: 0, data: {} }, terms: { size: 0, data: {} } }, values: [] },
      aggregations: [{ type: "term", data: { field: "tags", value: [] } }],
      pagination: { total: 0 }
    }
  }

  var decoder = document.createElement("textarea")
  function decodedLength(html) {
    decoder.innerHTML = html
    return decoder.value.length
  }

  /* kesu marks the query's words with <mark> in escaped text; Zensical marks ranges of the text. */
  function unmark(html) {
    var parts = String(html || "").split(/<(\/?)mark(?:\s[^>]*)?>/), text = "", ranges = [], at = 0, start = 0
    for (var i = 0; i < parts.length; i += 2) {
      if (i > 0 && parts[i - 1] === "") start = at         // <mark>
      else if (i > 0) ranges.push({ start: start, end: at, value: at - start })  // </mark>
      text += parts[i]
      at += decodedLength(parts[i])
    }
    return { html: text, ranges: ranges }
  }

  function plain(html) {
    decoder.innerHTML = unmark(html).html
    return decoder.value
  }

  function Adapter(url, options) {
    this.url = url
    this.options = options
    this.onmessage = this.onerror = this.onmessageerror = null
    this.worker = null
    this.docs = null      // the search box's documents (search.json's items), which it renders from
    this.known = new Map()  // location + title -> id in docs
    this.asked = []       // queries sent to kesu's worker, answered in order
  }

  Adapter.prototype.deliver = function (data) {
    var self = this
    setTimeout(function () { if (self.onmessage) self.onmessage({ data: data }) })
  }

  Adapter.prototype.postMessage = function (message) {
    if (message.type === SETUP) return this.setup(message)
    if (this.delegated) return this.worker.postMessage(message)
    if (message.type !== QUERY || !this.worker) return
    var input = (message.data && message.data.input || "").trim()
    if (!input || message.data.page) return this.deliver({ type: RESULT, data: emptyResult() })
    this.asked.push(input)
    this.worker.postMessage({ type: QUERY, data: input })
  }

  Adapter.prototype.setup = function (message) {
    var self = this, data = message.data
    if (!(data && data.config && data.config.kesu)) {
      // Not kesu's index: Zensical's own worker answers, unchanged.
      this.delegated = true
      this.worker = new Inner(decodeURIComponent(this.url.split("#")[1] || ""), this.options)
      this.forward(function (event) { return event.data })
      this.worker.postMessage(message)
      return
    }
    this.docs = data.items
    this.worker = new Inner(this.url, this.options)
    this.forward(function (event) {
      var reply = event.data
      if (reply.type === READY) return { type: READY }
      if (reply.type !== RESULT) return null
      var query = self.asked.shift()
      suggest(query, reply.data.suggest)
      return { type: RESULT, data: self.convert(reply.data, query) }
      return null
    })
    var options = { suggest: (config.features || []).indexOf("search.suggest") !== -1 }
    this.worker.postMessage({ type: SETUP, data: { config: data.config, docs: [], options: options } })
  }

  Adapter.prototype.forward = function (translate) {
    var self = this
    // Listeners, not on* properties: kesu's stand-in worker on file:// pages is an EventTarget.
    this.worker.addEventListener("message", function (event) {
      var reply = translate(event)
      if (reply && self.onmessage) self.onmessage({ data: reply })
    })
    this.worker.addEventListener("error", function (event) { if (self.onerror) self.onerror(event) })
    this.worker.addEventListener("messageerror", function (event) { if (self.onmessageerror) self.onmessageerror(event) })
  }

  /* kesu's groups [page, ...sections] become Zensical's flat list: the page, then the sections
   * Material would show right under it (scored as high as the page); the rest stay folded away. */
  Adapter.prototype.convert = function (data, query) {
    var self = this, result = emptyResult()
    ;(data.items || []).forEach(function (group) {
      var page = group[0]
      group.forEach(function (entry, i) {
        if (i > 0 && !(entry.score >= page.score)) return
        result.items.push(self.item(entry, i > 0 ? [plain(page.title)] : missingWords(entry)))
      })
    })
    result.pagination.total = result.items.length
    return result
  }

  /* Material's line under a page that lacks some of the query's words: [] or ["缺少：发票"]. */
  function missingWords(entry) {
    var terms = entry.terms || {}
    var missing = Object.keys(terms).filter(function (word) { return !terms[word] })
    return missing.length ? [MISSING + "：" + missing.join("、")] : []
  }

  Adapter.prototype.item = function (entry, path) {
    var title = unmark(entry.title), text = unmark(entry.text)
    var location = new URL(entry.location, base).href
    var key = [location, title.html, text.html].concat(path).join("\n"), id = this.known.get(key)
    if (id === undefined) {
      id = this.docs.length
      this.docs.push({ location: location, level: 1, title: title.html, text: text.html, path: path, tags: [] })
      this.known.set(key, id)
    }
    return {
      id: id,
      matches: [
        { id: 2 * id, field: "title", value: { highlight: { ranges: title.ranges } }, score: entry.score },
        { id: 2 * id + 1, field: "text", value: { highlight: { ranges: text.ranges } }, score: entry.score }
      ]
    }
  }

  Adapter.prototype.terminate = function () {
    if (this.worker) this.worker.terminate()
  }

  window.Worker = function KesuZensicalWorker(url, options) {
    if (String(url).indexOf("kesu-search.js") === -1) return new Inner(url, options)
    return new Adapter(String(url), options)
  }

  restoreSearchBox()
})()
