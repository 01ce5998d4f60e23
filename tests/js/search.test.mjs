// The search engine's functions (generator/js/kesu-search.mjs), without a browser.
import { test } from "node:test"
import assert from "node:assert/strict"

import {
  Lexicon, segment, meaningfulWords, queryConcepts, rankPages, keywordQuery, wordTerms, normalize, shardOf,
  decodePostings, escapeHtml, highlight, matchSpans, markedWords, suggestion, fileLocation, parseWrapped, pageTable,
  unpackedCounts, Engine, label, LISTED, MORE_TITLE, typedSpelling, foldOf,
  STOP_WORDS, EXPANSION_WEIGHT,
} from "../../generator/js/kesu-search.mjs"

// The lexicon of tests/test_search.py, as search/kesu/words.js holds it.
const LEXICON = new Lexicon({
  v: "快递 丢失 签收 虫子 害虫 收银 收银差错 服务态度",
  g: [[["丢失"], ["被人拿走", "找不着"]], [["收银差错"], ["收了两遍"]]],
})

function alternatives(query, lexicon = LEXICON) {
  return Object.fromEntries(queryConcepts(query, lexicon).map(c => [c.text, c.alternatives.map(a => [a.word, a.weight])]))
}

test("a query is cut by longest match against the vocabulary and the stop words", () => {
  assert.deepEqual(segment("收银差错怎么办", LEXICON), ["收银差错", "怎么办"])
  assert.deepEqual(segment("快递一直没签收", LEXICON), ["快递", "一直", "没", "签收"])
})

test("the longest words win where a left-to-right cut would break a phrase", () => {
  const lexicon = new Lexicon({ v: "事发 网上", g: [[["媒体"], ["发到网上"]]] })
  assert.deepEqual(segment("把这事发到网上去", lexicon), ["把", "这", "事", "发到网上", "去"])
})

test("fillers are dropped and neighbouring unknown characters stay one run", () => {
  assert.deepEqual(meaningfulWords("快递被别人拿走了", LEXICON), ["快递", "拿走"])
  assert.deepEqual(meaningfulWords("快递被人拿走了", LEXICON), ["快递", "被人拿走"])
  assert.deepEqual(meaningfulWords("我要起诉你们", LEXICON), ["起诉"])
  assert.deepEqual(meaningfulWords("ＷｉＦｉ密码 一直 连不上", LEXICON), ["wifi", "密码", "连"])
})

test("a query of fillers only is searched as it is", () => {
  assert.deepEqual(queryConcepts("怎么办", LEXICON).map(c => c.text), ["怎么办"])
})

test("a caller's phrase adds its group's terms with a lower weight", () => {
  assert.deepEqual(alternatives("快递被别人拿走了")["被人拿走"], [["被人拿走", 1], ["丢失", EXPANSION_WEIGHT]])
  assert.equal(alternatives("快递被别人拿走了")["找不着"], undefined)
})

test("a lone character is also looked up as the most frequent site words holding it", () => {
  assert.deepEqual(alternatives("汤里有虫")["虫"], [["虫", 1], ["虫子", 0.5], ["害虫", 0.5]])
})

test("a group's terms widen each other for speech but not for keywords", () => {
  const lexicon = new Lexicon({ v: "消协 退货 发票", g: [[["消费者协会", "消协"], ["找消协"]]] })
  assert.deepEqual(alternatives("消协", lexicon)["消协"], [["消协", 1], ["消费者协会", EXPANSION_WEIGHT]])
  assert.deepEqual(alternatives("消协 发票", lexicon)["消协"], [["消协", 1]])
})

test("keywords are words separated by spaces", () => {
  assert.ok(keywordQuery("退货 发票"))
  assert.ok(!keywordQuery("退货发票"))
  assert.ok(!keywordQuery("  退货发票  "))
})

test("a word stands for its bigrams; a lone character or a Latin word for itself", () => {
  assert.deepEqual(wordTerms("收银差错"), ["收银", "银差", "差错"])
  assert.deepEqual(wordTerms("哈哈哈"), ["哈哈"])
  assert.deepEqual(wordTerms("虫"), ["虫"])
  assert.deepEqual(wordTerms("wifi"), ["wifi"])
})

test("stop words hold fillers, not content words", () => {
  for (const word of ["了", "的", "我", "你们", "一直", "怎么", "是不是"]) assert.ok(STOP_WORDS.includes(word), word)
  for (const word of ["虫", "吵", "坏", "退", "丢失"]) assert.ok(!STOP_WORDS.includes(word), word)
})

test("full-width letters and digits fold to lowercase ASCII", () => {
  assert.equal(normalize("ＷｉＦｉ１２３"), "wifi123")
})

test("the shard of a term is FNV-1a over code points, pinned to the values generator/search.py computes", () => {
  assert.equal(shardOf("退款", 2 ** 32), 2932008435)
  assert.equal(shardOf("wifi", 2 ** 32), 120087624)
  assert.equal(shardOf("退款", 64), 2932008435 % 64)
})

test("postings decode ids as wide as the index says and weights stored as square roots", () => {
  const two = Buffer.from([1, 0, 0, 1, 16, 255]).toString("base64")  // ids 1, 256; levels 16, 255
  assert.deepEqual(decodePostings(two, 2), { sections: [1, 256], weights: [256, 65025] })
  const four = Buffer.from([0, 0, 1, 0, 3]).toString("base64")  // id 65536; level 3
  assert.deepEqual(decodePostings(four, 4), { sections: [65536], weights: [9] })
})

test("what is shown is escaped, and only the words are marked", () => {
  const words = markedWords(queryConcepts("退货", new Lexicon({ v: "退货", g: [] })))
  assert.equal(highlight("<b>退货</b> & 换货", words, false),
    "&lt;b&gt;<mark data-md-highlight>退货</mark>&lt;/b&gt; &amp; 换货")
  assert.equal(escapeHtml('"<&>'), "&quot;&lt;&amp;&gt;")
})

test("the words of a query are marked where the text holds them", () => {
  const words = markedWords(queryConcepts("退款不到账", new Lexicon({ v: "", g: [] })))
  assert.deepEqual(matchSpans("退款迟迟不到账", words), [[0, 2], [5, 7]])
})

test("a long text is cut to a window around the first match", () => {
  const words = [{ text: "发票", terms: ["发票"] }]
  const text = "甲".repeat(300) + "发票" + "乙".repeat(300)
  const shown = highlight(text, words, true)
  assert.ok(shown.startsWith("…") && shown.endsWith("…"))
  assert.ok(shown.includes("<mark data-md-highlight>发票</mark>"))
  assert.ok(shown.length < 200)
})

test("the suggestion completes the last word typed from the first title that starts with it", () => {
  assert.deepEqual(suggestion("退换", [["“退换货纠纷，怎么办”"]]), ["退换货纠纷"])
  assert.deepEqual(suggestion("退换", [["退换"]]), [])
  assert.deepEqual(suggestion("", [["退换货"]]), [])
})

test("a folder opened from the file system links its index.html", () => {
  assert.equal(fileLocation("types/x/"), "types/x/index.html")
  assert.equal(fileLocation("types/x/#script-a"), "types/x/index.html#script-a")
  assert.equal(fileLocation("cases/?q=%E9%80%80"), "cases/index.html?q=%E9%80%80")
  assert.equal(fileLocation(""), "index.html")
})

test("index files are read from their kesuSearchLoad(...) wrapper", () => {
  assert.deepEqual(parseWrapped('kesuSearchLoad({"a":[1,"x)"]})\n'), { a: [1, "x)"] })
})

test("pages covering more of the meaningful query come first, then by score and number", () => {
  // Two pages of one section each: page 1 holds both words, page 0 one of them more strongly.
  const lexicon = new Lexicon({ v: "退货 发票", g: [] })
  const postings = new Map([["退货", { sections: [0, 1], weights: [10000, 3000] }], ["发票", { sections: [1], weights: [3000] }]])
  const concepts = queryConcepts("退货发票", lexicon)
  const ranked = rankPages(concepts, term => postings.get(term), [0, 1], [1, 1], false)
  assert.deepEqual(ranked.map(r => r.number), [1, 0])
  assert.deepEqual(rankPages(queryConcepts("火星", lexicon), term => postings.get(term), [0, 1], [1, 1], false), [])
})

test("the page table's head gives each section its page, each page its boost and the boosted pages' rows", () => {
  const table = pageTable({ pages: 3, rows: 2, sections: Buffer.from([2, 0, 1]).toString("base64"), boosted: [[2, "types/a/", "甲", 3]] })
  assert.deepEqual(Array.from(table.sectionPage), [0, 0, 2])
  assert.deepEqual(Array.from(table.first), [0, 2, 2])
  assert.deepEqual(Array.from(table.boosts), [1, 1, 3])
  assert.deepEqual(table.boosted.get(2), ["types/a/", "甲"])
  assert.deepEqual(unpackedCounts(Buffer.from([0x80, 0x01, 5]).toString("base64")), [128, 5])
})

/* An engine reading the index files given (path under search/ -> data), and the paths it loaded. */
function engineOver(files, labels) {
  const loaded = []
  const load = url => {
    const path = new URL(url).pathname.replace(/^\/search\//, "")
    loaded.push(path)
    return path in files ? Promise.resolve(files[path]) : Promise.reject(new Error(path))
  }
  const engine = new Engine("http://kesu.test/", load)
  engine.setup({ kesu: { shards: 1, id_bytes: 2, labels } }, { suggest: false })
  return { engine, loaded }
}

/* A site of three pages as generator/search.py writes it: page 0 boosted, pages 1 and 2 in two shards. */
function tinySite(labels, boosted = [[0, "types/a/", "甲类", 3]]) {
  const postings = ids => Buffer.from([...ids.flatMap(id => [id, 0]), ...ids.map(() => 200)]).toString("base64")
  const files = {
    "kesu/pages.js": { pages: 3, rows: 2, sections: Buffer.from([1, 1, 1]).toString("base64"), boosted },
    "kesu/p/0.js": [0, ["cases/b/", "乙案"]],
    "kesu/p/1.js": [["cases/c/", "丙案"]],
    "kesu/words.js": { v: "退货 发票", g: [] },
    "kesu/s/0.js": { "退货": postings([1, 2]), "发票": postings([2]) },
    "kesu/f/1.js": [["", "乙案：退货", "顾客要求退货"]],
    "kesu/f/2.js": [["", "丙案：退货发票", "退货时发票丢了"]],
  }
  return engineOver(files, labels)
}

test("an answer loads the fragments of the results shown and the table shards of the results listed", async () => {
  const { engine, loaded } = tinySite()
  const { items } = await engine.search("退货发票")
  assert.deepEqual(items.map(group => group[0].location), ["cases/c/", "cases/b/"])
  assert.equal(items[0][0].title, "丙案：<mark data-md-highlight>退货发票</mark>")
  assert.deepEqual(loaded.filter(path => path.startsWith("kesu/p/")).sort(), ["kesu/p/0.js", "kesu/p/1.js"])
  const again = tinySite()
  await again.engine.search("甲类")  // nothing indexed: the fallback, whose pages are boosted
  assert.deepEqual(again.loaded.filter(path => path.startsWith("kesu/p/")), [])
})

test("a label fills its {names} once, and an index without labels shows the id", () => {
  const labels = { "search.nothing": "沒有找到與“{query}”相關的內容，可以從這裡{action}。" }
  assert.equal(label(labels, "search.nothing", { query: "{action}", action: "查詢" }), "沒有找到與“{action}”相關的內容，可以從這裡查詢。")
  assert.equal(label(undefined, "search.suggestion", { title: "甲" }), "search.suggestion")
  assert.equal(label({ "search.suggestion": "建議：{title}" }, "search.suggestion", {}), "建議：{title}")
})

test("the fallback's texts are the manifest's labels, in the edition the index was built for", async () => {
  const { engine } = tinySite({
    "search.suggestion": "建議：{title}", "search.nothing": "沒有找到與“{query}”直接相關的內容，可以從這裡{action}。",
    "search.fallback_types": "按投訴類型查詢",
  }, [[0, "types/", "投訴類型", 3]])
  const result = await engine.search("<b>乙</b>")
  assert.equal(result.suggested, true)
  assert.equal(result.items[0][0].title, "建議：投訴類型")
  assert.equal(result.items[0][0].text, "沒有找到與“&lt;b&gt;乙&lt;/b&gt;”直接相關的內容，可以從這裡按投訴類型查詢。")
})

/* A site of 46 pages whose list for 退货 is split (generator/search.py's split_postings): its head holds
 * the boosted page 0 and pages 1 to 43 at level 200, its tail page 44 at level 20 in a first tier and
 * page 45 at level 10 in the last; 发票 is on pages 44 and 45 only. */
function splitSite() {
  const postings = (ids, level) => Buffer.from([...ids.flatMap(id => [id, 0]), ...ids.map(() => level)]).toString("base64")
  const numbers = count => Array.from({ length: count }, (_, i) => i)
  const files = {
    "kesu/pages.js": { pages: 46, rows: 64, sections: Buffer.from(numbers(46).map(() => 1)).toString("base64"), boosted: [[0, "types/a/", "甲类", 3]] },
    "kesu/p/0.js": numbers(46).map(i => i === 0 ? 0 : [`cases/c${i}/`, `案例${i}`]),
    "kesu/words.js": { v: "退货 发票", g: [] },
    "kesu/s/0.js": { "退货": [postings(numbers(44), 200), 46, 20, 0], "发票": postings([44, 45], 200) },
    "kesu/t/0.js": [postings([44], 20), 10, 1],  // the tail's first tier, then the bound after it and the next
    "kesu/t/1.js": postings([45], 10),
  }
  numbers(46).forEach(i => { files[`kesu/f/${i}.js`] = [["", `案例${i}`, "退货"]] })
  return engineOver(files)
}

test("a query settled by the head of a split list does not load its tail", async () => {
  const { engine, loaded } = splitSite()
  const { items, locations } = await engine.search("退货")
  assert.equal(locations.length, LISTED)
  assert.equal(locations[0], "types/a/")
  assert.ok(!loaded.some(path => path.startsWith("kesu/t/")))
  // 44 pages found, 40 listed: the last line leads to the case library filtered by the query's words.
  assert.equal(items.length, LISTED + 1)
  assert.deepEqual(items[LISTED].map(item => [item.location, item.title]), [[`cases/?q=${encodeURIComponent("退货")}`, MORE_TITLE]])
  assert.equal(items[LISTED][0].text, "search.more_text")  // an index without labels: the ids
})

test("a list of at most LISTED pages has no line leading further", async () => {
  const { items } = await tinySite().engine.search("退货")
  assert.ok(items.every(group => group[0].title !== MORE_TITLE))
})

test("a query the heads do not settle, and a query for every result, load the tail", async () => {
  // Pages 44 and 45 hold both keywords, which only the tail of 退货 tells: they come first. Its first
  // tier shows that 44 holds both, above all that 45 could score: the last tier is not needed.
  const keywords = splitSite()
  const { locations } = await keywords.engine.search("退货 发票")
  assert.ok(keywords.loaded.includes("kesu/t/0.js") && !keywords.loaded.includes("kesu/t/1.js"))
  assert.deepEqual(locations.slice(0, 2), ["cases/c44/", "cases/c45/"])
  const all = splitSite()
  assert.deepEqual((await all.engine.search("退货 发票", true)).locations.slice(0, LISTED), locations)
  assert.equal((await all.engine.search("退货", true)).locations.length, 46)
  assert.ok(all.loaded.includes("kesu/t/0.js") && all.loaded.includes("kesu/t/1.js"))
})

test("a word a result lacks is shown as it was typed, in either script", () => {
  const spell = typedSpelling("退貨 發票", foldOf("貨货發发"))
  assert.equal(spell("发票"), "發票")
  assert.equal(spell("退货"), "退貨")
  assert.equal(spell("维修"), "维修")  // not in the query: as it is
  assert.equal(typedSpelling("ＡＢ發票", foldOf("發发"))("发票"), "發票")  // NFKC first, on both sides
})
