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
 *
 * This file is an ES module, self-contained (no imports), tested by Node (tests/js/). Browsers get
 * a classic-script copy, docs/assets/javascripts/workers/kesu-search.js, written by `kesu generate`
 * (generator/scripts.py): Material starts its worker as a classic Worker, and pages opened from
 * file:// load it with a <script> tag, where modules cannot load.
 */

var SETUP = 0, READY = 1, QUERY = 2, RESULT = 3
// This script sits beside Material's worker, whose language files are found relative to the
// worker's URL (../lunr) when it takes over a site that kesu did not index.
var SITE_FROM_SCRIPT = "../../../"
export var WRAPPER = "kesuSearchLoad("
// Pages whose fragments (titles, texts) are loaded for snippets: the ones seen first (a type
// page's fragment, with its script stages, is 10 kB or more; the rest are listed by title).
export var SHOWN = 5
// Results listed in all: their rows of the page table are loaded, from the shards holding them
// (search/kesu/p/, see generator/search.py's page_table_files). Nobody scrolls further mid-call;
// a longer list would load the whole table.
export var LISTED = 40
// The first results whose order a query proves before answering (rankingIsSettled): those SHOWN with
// their snippets. The rest of the LISTED follow in the order the lists loaded give them: a page's
// score is mostly whether it holds a word at all, so to prove the order of ten or forty results a
// word most cases hold (快递, 我的) had to be loaded whole (450 kB at 20,000 cases).
export var SETTLED = SHOWN
// The title of the line after a list cut at LISTED (Engine.moreGroup).
export var MORE_TITLE = "search.more"  // the label id of the line that ends a list cut at LISTED
var SNIPPET = 160
var HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/
var TOKEN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[a-z0-9]+/g
// Unicode's White_Space, spelled out as in generator/search.py (\s would also split at U+FEFF).
var SPACES_BETWEEN_KEYWORDS = /[\t\n\v\f\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/

/* Query understanding: the same values and steps as generator/search.py (query_concepts,
 * rank_pages), whose docstrings give the reasons; tests/test_search.py compares the values. */
export var STOP_WORDS = (
  "了 的 地 得 着 过 吗 呢 吧 啊 呀 啦 嘛 哦 哎 喂 嗯 我 你 您 他 她 它 们 是 在 就 都 也 又 还 很 太 挺 真 好 被 把 给 让 " +
  "和 跟 与 及 或 这 那 哪 个 些 么 才 再 更 最 啥 咋 怎 要 想 能 会 可 去 来 说 有 没 不 人 里 上 下 一 次 点 刚 已 该 得 " +
  "我们 你们 他们 她们 咱们 人家 别人 自己 一直 怎么 怎么办 怎么回事 为什么 为啥 是不是 有没有 能不能 会不会 可不可以 " +
  "这个 那个 这样 那样 这么 那么 什么 一下 一点 一个 已经 还是 但是 可是 就是 真是 而且 然后 结果 到底 竟然 居然 根本 " +
  "总是 老是 非常 特别 实在 真的 现在 刚才 刚刚 今天 昨天 明天 时候 东西 好像 觉得 感觉 知道 不是 没有 可以 需要 应该 " +
  "怎样 如何 请问 麻烦 谢谢 你好 您好 我要 我想 帮我 给我 一些 有点 有些 这种 那种 一样 还有 还要 就要 不要 不能 不会 " +
  "顾客 客户 客人 投诉 投诉人"
).split(" ")
var STOP = new Set(STOP_WORDS)
export var EXPANSION_WEIGHT = 0.8
export var SINGLE_EXPANSIONS = 3
export var SINGLE_EXPANSION_WEIGHT = 0.5
export var STRENGTH = 8.0
export var WORD_SHARE = 0.5
export var WHOLE_SHARE = 0.75
export var SINGLE_IDF_CAP = 2.0
export var LONGEST_WORD = 8
export var SPREAD = 0.25
export var COVERAGE_POWER = 1.0
var WEIGHT_SCALE = 255 * 255
// Sections a type page's result leads to: a script stage or the checklist (stable anchors
// written by type.md.j2); a quoted heading is a customer phrase.
var SCRIPT_ANCHOR = /^(script-|checklist$)/
var CUSTOMER_PHRASE = /^“/
// Shown, marked as suggestions, when nothing matches: the type index and the escalation rules,
// each with the id of what it helps to do. The texts are the manifest's labels (generator/catalogue.py:
// the search.* group of generator/strings/zh-Hans.yml, converted in the Traditional edition).
export var FALLBACK = [
  ["types/", "search.fallback_types"],
  ["procedures/severity-escalation/", "search.fallback_escalation"]
]

/* A label from the manifest with its {names} filled in; an index without labels shows the id. */
export function label(labels, id, values) {
  var text = labels && typeof labels[id] === "string" ? labels[id] : id
  return text.replace(/\{([a-z_]+)\}/g, function (whole, name) {
    return values && Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole
  })
}

/* What index and query compare (generator/search.py's normalize): full-width forms as ASCII,
 * lower case, and with fold (a foldOf function) Traditional characters folded to Simplified. */
export function normalize(text, fold) {
  var normal = text.normalize("NFKC").toLowerCase()
  return fold ? fold(normal) : normal
}

/* pairs: "TSTS...", a Traditional character then its Simplified form, as search/kesu/words.js
 * carries them for the characters of the index (generator/fold.py); code points, so that characters
 * beyond the BMP count once and a lone surrogate comes through as itself. */
export function foldOf(pairs) {
  var map = new Map(), chars = Array.from(pairs || "")
  for (var i = 0; i + 1 < chars.length; i += 2) map.set(chars[i], chars[i + 1])
  return function fold(text) {
    var out = ""
    for (var char of text) out += map.get(char) || char
    return out
  }
}

export function isHan(text) {
  return HAN.test(text[0] || "")
}

/* The index terms of a word: its bigrams, or itself (a lone character, a Latin word). */
export function wordTerms(word) {
  if (word.length < 2 || !isHan(word)) return [word]
  var terms = []
  for (var i = 0; i + 1 < word.length; i++) {
    var term = word.slice(i, i + 2)
    if (terms.indexOf(term) === -1) terms.push(term)
  }
  return terms
}

/* search/kesu/words.js in memory: {v: "word word ...", g: [[terms, callers_say], ...], f: fold
 * pairs}; the vocabulary is the site's words, then the thesaurus' words; queries are folded with f. */
export function Lexicon(data) {
  var self = this
  this.fold = foldOf(data.f)
  var site = data.v ? data.v.split(" ") : [], known = new Set(site)
  this.words = site.concat(unique([].concat.apply([], data.g.map(function (group) {
    return group[0].concat(group[1])
  }))).filter(function (word) { return !known.has(word) }))
  this.groups = data.g
  // A phrase's core is cut with the site's words only (see generator/search.py's Lexicon);
  // queries are cut with the thesaurus words too.
  this.useWords(site)
  this.cores = this.groups.map(function (group) {
    return group[1].map(function (phrase) { return meaningfulWords(phrase, self).join("") })
  })
  this.useWords(this.words)
}

Lexicon.prototype.useWords = function (words) {
  this.known = new Set(words.concat(STOP_WORDS))
  var longest = 1
  this.known.forEach(function (word) { longest = Math.max(longest, word.length) })
  this.longest = Math.min(LONGEST_WORD, longest)
}

/* The cut whose words are longest (largest sum of squared lengths, then fewest pieces), as
 * generator/search.py's segment(): 把这事发到网上去 keeps 发到网上 whole. */
export function segment(run, lexicon) {
  var score = [0], pieces = [0], start = [0]
  for (var end = 1; end <= run.length; end++) {
    score[end] = -1
    for (var length = 1; length <= Math.min(lexicon.longest, end); length++) {
      if (length > 1 && !lexicon.known.has(run.slice(end - length, end))) continue
      var s = score[end - length] + length * length, p = pieces[end - length] - 1
      if (score[end] < 0 || s > score[end] || (s === score[end] && p > pieces[end])) {
        score[end] = s
        pieces[end] = p
        start[end] = end - length
      }
    }
  }
  var words = []
  for (var at = run.length; at > 0; at = start[at]) words.unshift(run.slice(start[at], at))
  return words
}

export function unique(list) {
  return list.filter(function (item, i) { return list.indexOf(item) === i })
}

/* The query's words without fillers; neighbouring unknown characters stay one run. */
export function meaningfulWords(query, lexicon) {
  var kept = []
  ;(normalize(query, lexicon.fold).match(TOKEN) || []).forEach(function (token) {
    if (!isHan(token)) return kept.push(token)
    var run = ""
    segment(token, lexicon).concat([""]).forEach(function (word) {
      if (word.length === 1 && !lexicon.known.has(word)) return run += word
      if (run) kept.push(run)
      run = ""
      if (word && !STOP.has(word)) kept.push(word)
    })
  })
  return unique(kept)
}

function alternative(word, weight, share, idfCap) {
  return { word: word, weight: weight, terms: wordTerms(word), share: share || WORD_SHARE, idfCap: idfCap || Infinity }
}

function singleExpansions(char, lexicon) {
  return lexicon.words.filter(function (word) { return word.indexOf(char) !== -1 })
    .slice(0, SINGLE_EXPANSIONS).map(function (word) { return alternative(word, SINGLE_EXPANSION_WEIGHT, 0, SINGLE_IDF_CAP) })
}

/* What a query means to the index: [{text, whole, alternatives: [{word, weight, terms}]}]. */
export function queryConcepts(query, lexicon) {
  var words = meaningfulWords(query, lexicon), typed = normalize(query, lexicon.fold), tokens = typed.match(TOKEN) || []
  if (!words.length) {
    words = unique([].concat.apply([], tokens.map(function (token) { return segment(token, lexicon) })))
  }
  var concepts = new Map()
  words.forEach(function (word) {
    var alternatives = [alternative(word, 1)]
    if (word.length === 1 && isHan(word)) {
      alternatives = [alternative(word, 1, 0, SINGLE_IDF_CAP)].concat(singleExpansions(word, lexicon))
    }
    concepts.set(word, { text: word, whole: false, alternatives: alternatives })
  })
  tokens.forEach(function (token) {
    if (token.length >= 3 && isHan(token) && !concepts.has(token)) {
      concepts.set(token, { text: token, whole: true, alternatives: [alternative(token, 1, WHOLE_SHARE)] })
    }
  })
  var joined = words.join(""), keywords = keywordQuery(query)
  lexicon.groups.forEach(function (group, g) {
    group[1].forEach(function (phrase, p) {
      var core = lexicon.cores[g][p]
      if (typed.indexOf(phrase) === -1 && !(core.length >= 2 && joined.indexOf(core) !== -1)) return
      var concept = concepts.get(phrase)
      if (!concept) concepts.set(phrase, concept = { text: phrase, whole: false, alternatives: [alternative(phrase, 1)] })
      group[0].forEach(function (term) { concept.alternatives.push(alternative(term, EXPANSION_WEIGHT)) })
    })
    // A group's terms are the site's words for one thing; not for keywords (see generator/search.py).
    if (keywords) return
    group[0].forEach(function (term) {
      var concept = concepts.get(term)
      if (!concept || concept.whole) return
      group[0].forEach(function (other) {
        if (other !== term) concept.alternatives.push(alternative(other, EXPANSION_WEIGHT))
      })
    })
  })
  var spell = typedSpelling(query, lexicon.fold)
  return Array.from(concepts.values(), function (concept) { concept.shown = spell(concept.text); return concept })
}

/* word (folded, as the query's concepts hold it) -> the same word as it was typed, for what a reader
 * is shown (the words a result lacks): 發票 stays 發票 in the Traditional edition. The fold maps one
 * character to one, so the folded and the typed query line up character by character. */
export function typedSpelling(query, fold) {
  var typed = Array.from(normalize(query)), folded = Array.from(normalize(query, fold))
  var foldedText = folded.join("")
  return function (word) {
    var at = foldedText.indexOf(word)
    if (at === -1 || typed.length !== folded.length) return word
    var start = Array.from(foldedText.slice(0, at)).length
    return typed.slice(start, start + Array.from(word).length).join("")
  }
}

/* section -> evidence of one alternative: weight x IDF x share^2 x (1 + STRENGTH x b). */
export function alternativeScores(alt, postingsOf, sections) {
  var scores = new Map()
  var found = alt.terms.map(postingsOf).filter(function (list) { return list && totalOf(list) })
  if (!found.length) return scores
  var idf = Math.min(alt.idfCap,
    Math.max.apply(null, found.map(function (list) { return Math.log(1 + sections / totalOf(list)) })))
  var present = new Map(), strength = new Map()
  found.forEach(function (list) {
    for (var i = 0; i < list.sections.length; i++) {
      var section = list.sections[i]
      present.set(section, (present.get(section) || 0) + 1)
      strength.set(section, (strength.get(section) || 0) + list.weights[i] / WEIGHT_SCALE)
    }
  })
  var count = alt.terms.length
  present.forEach(function (hits, section) {
    var share = hits / count
    if (share >= alt.share) {
      scores.set(section, alt.weight * idf * share * share * (1 + STRENGTH * strength.get(section) / count))
    }
  })
  return scores
}

export function conceptScores(concept, postingsOf, sections) {
  var best = new Map()
  concept.alternatives.forEach(function (alt) {
    alternativeScores(alt, postingsOf, sections).forEach(function (score, section) {
      if (score > (best.get(section) || 0)) best.set(section, score)
    })
  })
  return best
}

/* Words separated by spaces (退货 发票) are keywords that staff want together, not speech. */
export function keywordQuery(query) {
  return normalize(query).split(SPACES_BETWEEN_KEYWORDS).filter(Boolean).length > 1
}

/* Pages by how much of the query they cover: the best section, plus SPREAD of what the page's
 * other sections add (per concept its best section, summed), times the page's search boost and
 * the share of meaningful concepts it holds; with everyWord (keywordQuery), pages holding more
 * concepts first. Each page with its matching sections and the best one. sectionCount: the index's
 * sections, for the IDF (sectionPage's length unless it holds more, see rankingIsSettled). */
export function rankPages(concepts, postingsOf, sectionPage, boosts, everyWord, sectionCount) {
  var sections = sectionCount === undefined ? sectionPage.length : sectionCount, perPage = new Map(), sectionTotal = new Map()
  var meaningful = []
  concepts.forEach(function (concept, number) { if (!concept.whole) meaningful.push(number) })
  concepts.forEach(function (concept, number) {
    conceptScores(concept, postingsOf, sections).forEach(function (score, section) {
      var page = sectionPage[section], best = perPage.get(page)
      sectionTotal.set(section, (sectionTotal.get(section) || 0) + score)
      if (!best) perPage.set(page, best = new Map())
      if (score > (best.get(number) || 0)) best.set(number, score)
    })
  })
  var ranked = new Map()
  perPage.forEach(function (scores, page) {
    var covered = 0
    scores.forEach(function (score) { covered += score })
    ranked.set(page, { number: page, covered: covered, score: 0, sections: [], bestSection: -1 })
  })
  sectionTotal.forEach(function (total, section) {
    var page = ranked.get(sectionPage[section])
    page.sections.push({ section: section, score: total })
    if (page.bestSection === -1 || total > sectionTotal.get(page.bestSection) ||
        (total === sectionTotal.get(page.bestSection) && section < page.bestSection)) page.bestSection = section
  })
  ranked.forEach(function (page) {
    var best = sectionTotal.get(page.bestSection), scores = perPage.get(page.number)
    var held = meaningful.filter(function (number) { return scores.has(number) }).length
    var coverage = meaningful.length ? Math.pow(held / meaningful.length, COVERAGE_POWER) : 1
    page.score = (best + SPREAD * (page.covered - best)) * boosts[page.number] * coverage
    page.held = everyWord ? held : 0
    page.holds = scores  // concept number -> score: what the result list says the page holds
  })
  return Array.from(ranked.values()).sort(function (a, b) {
    return b.held - a.held || b.score - a.score || a.number - b.number
  })
}

/* A term's postings: {sections, weights} when whole; a list split at indexing (generator/search.py's
 * split_postings) holds its head only until its tail is loaded, with total (every posting of the
 * term, for the IDF), bound (the highest weight among those not held; 0 when whole) and tail (its file). */
function totalOf(list) {
  return list.total === undefined ? list.sections.length : list.total
}

function conceptTerms(concepts) {
  var terms = []
  concepts.forEach(function (concept) {
    concept.alternatives.forEach(function (alt) { terms = terms.concat(alt.terms) })
  })
  return unique(terms)
}

export function hasTails(concepts, postingsOf) {
  return conceptTerms(concepts).some(function (term) { var list = postingsOf(term); return Boolean(list && list.bound) })
}

/* The query's lists as large as their tails could make them (see generator/search.py's
 * optimistic_postings): every open section any of them holds, and one section (number `unseen`)
 * standing for all others, added at the tail's bound to each list with a tail that lacks it. */
export function optimisticPostings(concepts, postingsOf, isOpen, unseen) {
  var terms = conceptTerms(concepts), lists = new Map(), seen = new Set()
  terms.forEach(function (term) {
    var list = postingsOf(term)
    if (!list) return
    lists.set(term, list)
    list.sections.forEach(function (section) { if (isOpen(section)) seen.add(section) })
  })
  var opened = Array.from(seen).sort(function (a, b) { return a - b }), grown = new Map()
  lists.forEach(function (list, term) {
    if (!list.bound) return grown.set(term, list)
    var held = new Set(list.sections)
    var added = opened.filter(function (section) { return !held.has(section) }).concat([unseen])
    grown.set(term, {
      sections: list.sections.concat(added),
      weights: list.weights.concat(added.map(function () { return list.bound })),
      total: list.total, bound: list.bound
    })
  })
  return function (term) { return grown.get(term) }
}

/* The lowest number a page no loaded list names could have and reach the optimistic score; see
 * generator/search.py's first_unseen_page. */
export function firstUnseenPage(concepts, postingsOf, sectionPage, isOpen, pages) {
  var after = sectionPage.length
  conceptTerms(concepts).forEach(function (term) {
    var list = postingsOf(term), last = -1
    if (!list || !list.bound) return
    for (var i = 0; i < list.sections.length; i++) {
      if (list.weights[i] === list.bound && isOpen(list.sections[i])) last = Math.max(last, list.sections[i])
    }
    after = Math.min(after, last + 1)
  })
  return after < sectionPage.length ? sectionPage[after] : pages
}

/* [held, score, -number]: larger is better, as rankPages orders pages. */
function beats(a, b) {
  return a[0] !== b[0] ? a[0] > b[0] : a[1] !== b[1] ? a[1] > b[1] : a[2] > b[2]
}

/* Whether the first `listed` of `ranked` (rankPages over lists some of whose tails are not loaded) are
 * the first of the whole ranking, in its order; as generator/search.py's ranking_is_settled. */
export function rankingIsSettled(concepts, postingsOf, sectionPage, boosts, ranked, everyWord, listed) {
  if (!hasTails(concepts, postingsOf)) return true
  var pages = boosts.length, sections = sectionPage.length
  var wideSections = new Int32Array(sections + 1), wideBoosts = new Float64Array(pages + 1)
  wideSections.set(sectionPage)
  wideSections[sections] = pages
  wideBoosts.set(boosts)
  wideBoosts[pages] = 1
  var isOpen = function (section) { return boosts[sectionPage[section]] === 1 }
  var reach = new Map(), unseen = firstUnseenPage(concepts, postingsOf, sectionPage, isOpen, pages)
  rankPages(concepts, optimisticPostings(concepts, postingsOf, isOpen, sections), wideSections, wideBoosts, everyWord, sections)
    .forEach(function (page) {
      reach.set(page.number, [page.held, page.score, -(page.number === pages ? unseen : page.number)])
    })
  var first = ranked.slice(0, listed), names = new Set(first.map(function (page) { return page.number }))
  var ceiling = null
  reach.forEach(function (key, number) { if (!names.has(number) && (!ceiling || beats(key, ceiling))) ceiling = key })
  if (ceiling && first.length < listed) return false
  for (var i = first.length - 1; i >= 0; i--) {
    var page = first[i]
    if (ceiling && !beats([page.held, page.score, -page.number], ceiling)) return false
    var key = reach.get(page.number)
    if (!ceiling || beats(key, ceiling)) ceiling = key
  }
  return true
}

/* search/kesu/pages.js in memory (generator/search.py's page_table_files): sections are numbered
 * page after page, sectionPage maps a section to its page and first a page to its first section. */
export function pageTable(data) {
  var counts = unpackedCounts(data.sections), total = counts.reduce(function (sum, n) { return sum + n }, 0)
  var sectionPage = new Int32Array(total), first = new Int32Array(counts.length), at = 0
  var boosts = new Float64Array(counts.length).fill(1), boosted = new Map()
  counts.forEach(function (count, number) {
    first[number] = at
    for (var i = 0; i < count; i++) sectionPage[at++] = number
  })
  data.boosted.forEach(function (row) {
    boosts[row[0]] = row[3]
    boosted.set(row[0], [row[1], row[2]])
  })
  return { sectionPage: sectionPage, first: first, boosts: boosts, boosted: boosted, rowsPerShard: data.rows }
}

/* LEB128 varints in base64, as generator/search.py's packed_counts() writes them. */
export function unpackedCounts(packed) {
  var bytes = atob(packed), counts = [], number = 0, shift = 0
  for (var i = 0; i < bytes.length; i++) {
    var byte = bytes.charCodeAt(i)
    number += (byte & 0x7f) * Math.pow(2, shift)
    shift += 7
    if (!(byte & 0x80)) {
      counts.push(number)
      number = shift = 0
    }
  }
  return counts
}

/* FNV-1a over code points, the same as generator/search.py's shard_of(). */
export function shardOf(term, shards) {
  var hash = 0x811c9dc5
  for (var ch of term) hash = Math.imul(hash ^ ch.codePointAt(0), 0x01000193) >>> 0
  return hash % shards
}

/* n section ids of idBytes each (little-endian), then n weight bytes; see encode_postings(). */
export function decodePostings(encoded, idBytes) {
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

/* A split list's shard entry, [head, total, bound level, tail file number] (generator/search.py's
 * shard_entries): its head, with what rankPages and rankingIsSettled need to know of the tail. */
export function splitPostings(entry, idBytes) {
  var head = decodePostings(entry[0], idBytes)
  return { sections: head.sections, weights: head.weights, total: entry[1], bound: entry[2] * entry[2], tail: entry[3] }
}

export function escapeHtml(text) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;")
}

/* Spans [start, end) of the words in text, without overlaps. A word that is not in the text as
 * typed (退款不到账 where the page says 退款迟迟不到账) is marked by the bigrams it shares; fold: the
 * lexicon's, so that 快递 marks 快遞 on the Traditional edition's pages. */
export function matchSpans(text, words, fold) {
  var haystack = normalize(text, fold)
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
export function highlight(text, words, cut, fold) {
  var spans = matchSpans(text, words, fold), start = 0, end = text.length
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

/* Material lists a result's missing words: a concept counts as present when any term of any
 * of its words is. The query as typed (a whole run with its fillers) is not listed. */
export function presentConcepts(texts, concepts, fold) {
  var normal = texts.map(function (text) { return normalize(text, fold) }), result = {}
  concepts.forEach(function (concept) {
    if (concept.whole) return
    result[concept.text] = concept.alternatives.some(function (alt) {
      return alt.terms.some(function (term) {
        return normal.some(function (text) { return text.indexOf(term) !== -1 })
      })
    })
  })
  return result
}

/* The query's words (not the whole query) and whether the ranked page holds each. */
function heldConcepts(page, concepts) {
  var result = {}
  concepts.forEach(function (concept, number) {
    if (!concept.whole) result[concept.shown || concept.text] = page.holds.has(number)
  })
  return result
}

/* Only the words a section holds: the page's entry says what the page lacks. */
function held(terms) {
  var result = {}
  Object.keys(terms).forEach(function (word) { if (terms[word]) result[word] = true })
  return result
}

/* The words to mark in titles and snippets; the query as typed only where it stands whole. */
export function markedWords(concepts) {
  var words = []
  concepts.forEach(function (concept) {
    concept.alternatives.forEach(function (alt) {
      words.push({ text: alt.word, terms: concept.whole ? [alt.word] : alt.terms })
    })
  })
  return words
}

var OPENING = /^[\s“”"'‘’「『（(《]+/
var PAUSE = /[，。！？、：；,.!?:;“”"（）()《》\s]/

/* Material completes the last word typed with the last entry of `suggest`, if it starts with
 * it: offer the best-ranked title or heading that does, up to its first punctuation mark. */
export function suggestion(query, titlesOfPages) {
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
export function fileLocation(location) {
  var parts = location.split("#"), path = parts[0], question = path.indexOf("?"), query = ""
  if (question !== -1) {
    query = path.slice(question)
    path = path.slice(0, question)
  }
  if (path === "" || path.slice(-1) === "/") path += "index.html"
  return path + query + (parts.length > 1 ? "#" + parts.slice(1).join("#") : "")
}

export function Engine(site, load, locate) {
  this.site = site        // URL of the site's root
  this.load = load        // path under search/ -> Promise of the file's data
  this.locate = locate || function (location) { return location }
  this.files = {}
  this.manifest = null
  this.fold = null        // the lexicon's, once words.js is loaded
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
  this.pages = this.file("kesu/pages.js").then(pageTable)
  var self = this
  this.lexicon = this.file("kesu/words.js").then(function (data) {
    var lexicon = new Lexicon(data)
    self.fold = lexicon.fold  // for marking the query in the results' titles and snippets
    return lexicon
  })
  this.pages.catch(function () {})  // reported by the query that needs it
  this.lexicon.catch(function () {})
}

/* page number -> [location, title] for the given pages: boosted pages' rows are in the page table's
 * always-loaded part, the others in its shards. */
Engine.prototype.rows = function (pages, numbers) {
  var self = this, shards = unique(numbers.filter(function (number) { return !pages.boosted.has(number) })
    .map(function (number) { return Math.floor(number / pages.rowsPerShard) }))
  return Promise.all(shards.map(function (shard) { return self.file("kesu/p/" + shard + ".js") })).then(function (loaded) {
    var byShard = new Map(), rows = new Map()
    shards.forEach(function (shard, i) { byShard.set(shard, loaded[i]) })
    numbers.forEach(function (number) {
      rows.set(number, pages.boosted.get(number) ||
        byShard.get(Math.floor(number / pages.rowsPerShard))[number % pages.rowsPerShard])
    })
    return rows
  })
}

/* A term's postings as its shard holds them: whole, or (split) its head; see totalOf(). */
Engine.prototype.postings = function (term) {
  var shard = "kesu/s/" + shardOf(term, this.manifest.shards) + ".js", idBytes = this.manifest.id_bytes
  return this.file(shard).then(function (terms) {
    var entry = terms[term]
    if (typeof entry === "string") entry = terms[term] = decodePostings(entry, idBytes)
    else if (Array.isArray(entry)) entry = terms[term] = splitPostings(entry, idBytes)
    return entry || { sections: [], weights: [] }
  })
}

/* A split list with the next tier of its tail (search/kesu/t/<n>.js: [postings, bound after it, next
 * file] or, the last, the postings alone) appended; a list is extended once, later queries reuse it. */
Engine.prototype.nextTier = function (list) {
  var idBytes = this.manifest.id_bytes
  if (!list.bound) return Promise.resolve(list)
  return this.file("kesu/t/" + list.tail + ".js").then(function (data) {
    if (!list.extended) {
      var last = typeof data === "string", tier = decodePostings(last ? data : data[0], idBytes)
      list.extended = {
        sections: list.sections.concat(tier.sections), weights: list.weights.concat(tier.weights),
        total: list.total, bound: last ? 0 : data[1] * data[1], tail: last ? -1 : data[2]
      }
    }
    return list.extended
  })
}

/* A term's postings, whole: every tier of a split list's tail loaded. */
Engine.prototype.wholePostings = function (term) {
  var self = this
  function whole(list) { return list.bound ? self.nextTier(list).then(whole) : list }
  return this.postings(term).then(whole)
}

/* Every term of the concepts, loaded (with whole, their tails too): term -> postings. */
Engine.prototype.postingsOf = function (concepts, whole) {
  var terms = conceptTerms(concepts)
  return Promise.all(terms.map(whole ? this.wholePostings : this.postings, this)).then(function (lists) {
    var byTerm = new Map()
    terms.forEach(function (term, i) { byTerm.set(term, lists[i]) })
    return function (term) { return byTerm.get(term) }
  })
}

/* The pages a query finds, best first: ranked over the heads of long lists; while that does not
 * settle the first SETTLED (rankingIsSettled), the next tier of the list whose bound is highest is
 * loaded; for all, over the whole lists. */
Engine.prototype.ranking = function (concepts, pages, keywords, all) {
  var self = this, terms = conceptTerms(concepts)
  function ranked(postingsOf) {
    return rankPages(concepts, postingsOf, pages.sectionPage, pages.boosts, keywords)
  }
  if (all) return this.postingsOf(concepts, true).then(ranked)
  return this.postingsOf(concepts).then(function (postingsOf) {
    var lists = new Map(terms.map(function (term) { return [term, postingsOf(term)] }))
    var held = function (term) { return lists.get(term) }
    function settle() {
      var first = ranked(held), next = null
      if (rankingIsSettled(concepts, held, pages.sectionPage, pages.boosts, first, keywords, SETTLED)) return first
      lists.forEach(function (list, term) {
        if (list.bound && (next === null || list.bound > lists.get(next).bound)) next = term
      })
      return self.nextTier(lists.get(next)).then(function (extended) {
        lists.set(next, extended)
        return settle()
      })
    }
    return settle()
  })
}

Engine.prototype.search = function (query, all) {
  var self = this
  return Promise.all([this.pages, this.lexicon]).then(function (loaded) {
    var pages = loaded[0], concepts = queryConcepts(query, loaded[1])
    if (!concepts.length) return { items: [] }
    return self.ranking(concepts, pages, keywordQuery(query), all).then(function (ranked) {
      if (!ranked.length) return self.fallback(pages, query)
      return self.answer(query, concepts, ranked, pages, all)
    })
  })
}

Engine.prototype.answer = function (query, concepts, ranked, pages, all) {
  var self = this, shown = ranked.slice(0, SHOWN), words = markedWords(concepts)
  // Every matching page with all (for measuring recall, bench/run.py), not for Material.
  var listed = all ? ranked : ranked.slice(0, LISTED)
  return Promise.all([Promise.all(shown.map(function (page) {
    return self.file("kesu/f/" + page.number + ".js")
  })), this.rows(pages, listed.map(function (page) { return page.number }))]).then(function (loaded) {
    var fragments = loaded[0], rows = loaded[1]
    var items = shown.map(function (page, i) {
      return self.detailedGroup(page, rows.get(page.number), pages.first[page.number], fragments[i], words, concepts)
    })
    ranked.slice(SHOWN, LISTED).forEach(function (page) {
      items.push(self.plainGroup(page, rows.get(page.number), words, concepts))
    })
    if (!all && ranked.length > LISTED) items.push(self.moreGroup(concepts, ranked.length))
    var result = { items: items }
    if (self.suggest) result.suggest = suggestion(query, shown.map(function (page, i) {
      return [fullTitle(rows.get(page.number), fragments[i])].concat(fragments[i].map(function (part) { return part[1] }))
    }))
    // The pages listed (with all, every page found), for bench/run.py; Material reads items only.
    result.locations = listed.map(function (page) { return rows.get(page.number)[0] })
    return result
  })
}

/* Nothing matched: the complaint-type index and the escalation page, marked as suggestions. */
Engine.prototype.fallback = function (pages, query) {
  // Both are boosted pages, whose rows are always loaded.
  var locate = this.locate, titles = new Map(Array.from(pages.boosted.values()))
  var labels = this.manifest && this.manifest.labels
  var items = FALLBACK.filter(function (entry) { return titles.has(entry[0]) }).map(function (entry) {
    return [{
      location: locate(entry[0]),
      title: escapeHtml(label(labels, "search.suggestion", { title: titles.get(entry[0]) })),
      text: escapeHtml(label(labels, "search.nothing", { query: query.trim(), action: label(labels, entry[1]) })),
      score: 0, terms: {}
    }]
  })
  return { items: items, suggested: true, locations: [] }
}

/* The section a type page's result leads to: its best-matching script stage or checklist, else,
 * when a customer phrase matched, its first script stage; -1 otherwise. */
export function leadSection(page, fragment, first, phrase) {
  var scripts = page.sections.filter(function (s) { return SCRIPT_ANCHOR.test((fragment[s.section - first] || [""])[0]) })
  if (scripts.length) {
    return scripts.reduce(function (best, s) { return s.score > best.score ? s : best }).section - first
  }
  if (phrase) for (var i = 0; i < fragment.length; i++) if (/^script-/.test(fragment[i][0])) return i
  return -1
}

/* A page and its matching sections, with snippets from its fragment. Material shows the page
 * (the item without '#') and, right under it, the sections scored as high as the page; the rest
 * fold under "more". A type page's lead section is scored so, and its snippet is the customer
 * phrase that matched, if one did. */
Engine.prototype.detailedGroup = function (page, row, first, fragment, words, concepts) {
  var locate = this.locate, fold = this.fold, path = row[0], title = fullTitle(row, fragment), best = page.score
  var intro = fragment[0] && fragment[0][0] === "" ? fragment[0] : null
  var introHit = intro && page.sections.some(function (s) { return s.section === first })
  var phrase = page.sections.filter(function (s) { return CUSTOMER_PHRASE.test((fragment[s.section - first] || ["", ""])[1]) })
    .sort(function (a, b) { return b.score - a.score })[0]
  var lead = leadSection(page, fragment, first, phrase)
  var phraseTitle = phrase ? fragment[phrase.section - first][1] : ""
  var pageItem = {
    location: locate(path),
    title: highlight(title, words, false, fold),
    text: phraseTitle ? highlight(phraseTitle, words, false, fold) : introHit ? highlight(intro[2], words, true, fold) : "",
    score: best,
    // Material lists the words a result lacks: for the page, those the index says it holds nowhere
    // (its fragment keeps only the start of each section).
    terms: heldConcepts(page, concepts)
  }
  var listed = page.sections.filter(function (s) { return !(intro && s.section === first) && s.section - first !== lead })
    .sort(function (a, b) { return b.score - a.score || a.section - b.section })
  if (lead !== -1) listed.unshift({ section: first + lead, score: best })
  var sections = listed.map(function (s) {
    var part = fragment[s.section - first] || ["", "", ""]
    return {
      location: locate(path + (part[0] ? "#" + part[0] : "")),
      title: highlight(part[1], words, false, fold),
      text: highlight(part[2], words, true, fold),
      score: s.section === first + lead ? best : Math.min(s.score, best * 0.999),
      terms: held(presentConcepts([part[1], part[2]], concepts, fold))
    }
  })
  return [pageItem].concat(sections)
}

/* The page table shortens long titles (see generator/search.py's table_title); a page's first
 * section, in its fragment, carries the title whole. */
function fullTitle(row, fragment) {
  return fragment && fragment[0] ? fragment[0][1] : row[1]
}

/* A page further down the list: title only (as the page table has it); its fragment is not loaded. */
Engine.prototype.plainGroup = function (page, row, words, concepts) {
  return [{
    location: this.locate(row[0]),
    title: highlight(row[1], words, false, this.fold),
    text: "", score: page.score, terms: heldConcepts(page, concepts)
  }]
}

/* The last line of a list cut at LISTED: the case library (/cases/, docs/assets/kesu-cases.js)
 * filtered by the query's words, where every case holding them all is listed, page after page. */
Engine.prototype.moreGroup = function (concepts, found) {
  var labels = this.manifest && this.manifest.labels
  var words = concepts.filter(function (concept) { return !concept.whole }).map(function (concept) { return concept.text })
  return [{
    location: this.locate("cases/?q=" + encodeURIComponent(words.join(" "))),
    title: escapeHtml(label(labels, MORE_TITLE)),
    text: escapeHtml(label(labels, "search.more_text", { found: found, listed: LISTED, words: words.join(" ") })),
    score: 0, terms: {}
  }]
}

/* ---------------------------------------------------------------------------------------- */

export function parseWrapped(text) {
  return JSON.parse(text.slice(text.indexOf(WRAPPER) + WRAPPER.length, text.lastIndexOf(")")))
}

export function fetchWrapped(url) {
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
export function Handler(site, load, fallback, locate) {
  var engine = new Engine(site, load, locate), queue = Promise.resolve()
  // The page table is needed by every query and its path is fixed: load it while the page is
  // still starting up, before Material's setup message arrives (a failed load is forgotten).
  engine.file("kesu/pages.js").catch(function () {})
  engine.file("kesu/words.js").catch(function () {})
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

/* Starts the engine where the classic copy of this module runs (generator/scripts.py calls this
 * at its end); importing the module starts nothing. */
export function startInBrowser() {
  if (typeof document === "undefined") startInWorker()
  else startInPage()
}

function startInWorker() {
  var delegated = false
  var handle = Handler(new URL(SITE_FROM_SCRIPT, self.location.href), fetchWrapped, function (message) {
    // Not a kesu index: let Material's own worker answer from now on.
    delegated = true
    importScripts(decodeURIComponent(self.location.hash.slice(1)))
    self.dispatchEvent(new MessageEvent("message", { data: message }))
    return Promise.resolve(null)
  })
  self.kesuSearch = handle  // bench/run.py asks it directly
  self.addEventListener("message", function (event) {
    if (delegated) return
    handle(event.data).then(function (reply) { if (reply) self.postMessage(reply) })
  })
}

/* Page: only needed where real workers cannot run. */
function startInPage() {
  window.kesuSearchLoad = function (data) {
    var resolve = waiting[document.currentScript.src]
    delete waiting[document.currentScript.src]
    if (resolve) resolve(data)
  }
  if (location.protocol !== "file:") return
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
