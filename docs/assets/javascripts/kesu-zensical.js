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
 */
(function () {
  "use strict"

  var SETUP = 0, READY = 1, QUERY = 2, RESULT = 3
  var Inner = window.Worker  // the browser's, or kesu-search.js's stand-in on file:// pages
  var config = JSON.parse(document.getElementById("__config").textContent)
  var base = new URL(config.base || ".", location.href)

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
      if (reply.type === RESULT) return { type: RESULT, data: self.convert(reply.data, self.asked.shift()) }
      return null
    })
    this.worker.postMessage({ type: SETUP, data: { config: data.config, docs: [] } })
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
        result.items.push(self.item(entry, i > 0 ? [plain(page.title)] : []))
      })
    })
    result.pagination.total = result.items.length
    return result
  }

  Adapter.prototype.item = function (entry, path) {
    var title = unmark(entry.title), text = unmark(entry.text)
    var location = new URL(entry.location, base).href
    var key = location + "\n" + title.html + "\n" + text.html, id = this.known.get(key)
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
})()
