// The worker reads queries as generator/search.py does: the same tokens, cuts, concepts, ranking and
// shard hashes for the inputs of tests/test_search_parity.py, whose outputs it pins in
// tests/golden/search-parity.json (that test fails when Python changes, this one when JavaScript differs).
import { test } from "node:test"
import assert from "node:assert/strict"
import { readFileSync } from "node:fs"

import {
  Lexicon, isHan, keywordQuery, meaningfulWords, normalize, queryConcepts, rankPages, rankingIsSettled, segment, shardOf,
  unpackedCounts, wordTerms,
} from "../../generator/js/kesu-search.mjs"

const GOLDEN = JSON.parse(readFileSync(new URL("../golden/search-parity.json", import.meta.url), "utf8"))
const TOKEN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[a-z0-9]+/g
const lexicon = new Lexicon(GOLDEN.lexicon)
const postings = new Map(Object.entries(GOLDEN.index.postings).map(([term, [ids, levels]]) =>
  [term, { sections: ids, weights: levels.map(level => level * level) }]))

function outputs(query) {
  const tokens = normalize(query, lexicon.fold).match(TOKEN) || []
  const concepts = queryConcepts(query, lexicon), keyword = keywordQuery(query)
  return {
    query,
    tokens,
    segments: tokens.filter(isHan).map(token => segment(token, lexicon)),
    meaningful: meaningfulWords(query, lexicon),
    keyword,
    concepts: concepts.map(c => [c.text, c.whole, c.alternatives.map(a =>
      [a.word, a.weight, a.terms, a.share, a.idfCap === Infinity ? null : a.idfCap])]),
    ranked: rankPages(concepts, term => postings.get(term), GOLDEN.index.sectionPage, GOLDEN.index.boosts, keyword)
      .map(r => [r.number, r.score]),
  }
}

/* Scores may differ in the last bits of a double, never in order. */
function assertScoresClose(actual, expected, query) {
  assert.deepEqual(actual.map(r => r[0]), expected.map(r => r[0]), query)
  actual.forEach((r, i) => assert.ok(Math.abs(r[1] - expected[i][1]) <= 1e-9 * Math.abs(expected[i][1]), query))
}

for (const expected of GOLDEN.queries) {
  test(`query ${JSON.stringify(expected.query)}`, () => {
    const actual = outputs(expected.query)
    assertScoresClose(actual.ranked, expected.ranked, expected.query)
    assert.deepEqual({ ...actual, ranked: null }, { ...expected, ranked: null })
  })
}

test("a word's index terms are the same", () => {
  for (const [word, terms] of GOLDEN.wordTerms) assert.deepEqual(wordTerms(word), terms, word)
})

test("a term's shard is the same for every shard count", () => {
  for (const [term, shards] of GOLDEN.shards) {
    assert.deepEqual(GOLDEN.shardCounts.map(count => shardOf(term, count)), shards, JSON.stringify(term))
  }
})

test("the page table's packed section counts unpack to the numbers Python packed", () => {
  for (const [counts, packed] of GOLDEN.packedCounts) assert.deepEqual(unpackedCounts(packed), counts, packed)
})

/* The split index's lists as the worker holds them: a head [ids, levels, total, bound] as splitPostings
 * decodes it (weights and bound squared), a whole list as decodePostings does. */
const SPLIT = GOLDEN.split
const splitLists = new Map(Object.entries(SPLIT.postings).map(([term, [ids, levels, total, bound]]) =>
  [term, total === undefined ? { sections: ids, weights: levels.map(level => level * level) }
    : { sections: ids, weights: levels.map(level => level * level), total, bound: bound * bound }]))

for (const expected of SPLIT.queries) {
  test(`split lists: query ${JSON.stringify(expected.query)}`, () => {
    const concepts = queryConcepts(expected.query, lexicon), keyword = keywordQuery(expected.query)
    const sectionPage = Int32Array.from(SPLIT.sectionPage), boosts = Float64Array.from(SPLIT.boosts)
    const capped = rankPages(concepts, term => splitLists.get(term), sectionPage, boosts, keyword)
    assertScoresClose(capped.map(r => [r.number, r.score]), expected.capped, expected.query)
    assert.deepEqual(SPLIT.listed.map(listed =>
      rankingIsSettled(concepts, term => splitLists.get(term), sectionPage, boosts, capped, keyword, listed)),
    expected.settled, expected.query)
  })
}
