// The worker's engine over the shipped site's built index: what staff type mid-call lands on the
// right complaint type (moved here from the browser tests, which keep the search box itself), and a
// first query loads only the parts of the index it needs.
import { after, before, test } from "node:test"
import assert from "node:assert/strict"
import { readFileSync, readdirSync } from "node:fs"
import { join } from "node:path"

import { LISTED, SHOWN, pageTable, parseWrapped } from "../../generator/js/kesu-search.mjs"
import { buildShippedSite, searchOf } from "./site.mjs"

let site, search

before(async () => {
  site = buildShippedSite()
  search = await searchOf(site.site)
})

after(() => site && site.remove())

async function firstPage(query) {
  const { items } = await search.ask(query)
  return items.length ? items[0][0].location.split("#")[0] : null
}

test("a complaint type's name lists that type first", async () => {
  assert.ok(site.types.length >= 20)
  const misses = []
  for (const type of site.types) {
    const first = await firstPage(type.name)
    if (first !== `types/${type.id}/`) misses.push([type.name, first])
  }
  assert.deepEqual(misses, [])
})

test("the start of what a customer says lists their type first, for 95% of the phrases", async () => {
  // Some phrases are honestly shared by two types (a 第二件半价 price dispute is a cashier error or a
  // label mismatch): a few misses are tolerated.
  const queries = site.types.flatMap(type => type.customer_says.map(phrase => [type.id, phrase.slice(0, 12)]))
  assert.ok(queries.length >= 100, `${queries.length} phrases`)
  const misses = []
  for (const [id, query] of queries) {
    const first = await firstPage(query)
    if (first !== `types/${id}/`) misses.push([query, id, first])
  }
  assert.ok(misses.length <= 0.05 * queries.length, JSON.stringify(misses))
})

test("every type name and customer phrase, typed in either script, finds its type in either edition", async () => {
  // The lookups as written, and converted by OpenCC as a reader in Taiwan (s2twp: 軟體, 網路) or Hong
  // Kong (s2hk) types them; in the Simplified site and in the Traditional edition (built with s2twp).
  // Every lookup that the Simplified site answers as written (the tests above) is answered so in
  // every script and edition.
  const editions = { "zh-Hans": search, "zh-Hant": await searchOf(site.edition) }
  const answered = new Set()
  for (const lookup of site.lookups) {
    if (await firstPage(lookup["zh-Hans"]) === `types/${lookup.id}/`) answered.add(lookup)
  }
  const found = {}, misses = []
  for (const [edition, searcher] of Object.entries(editions)) {
    for (const script of ["zh-Hans", "s2twp", "s2hk"]) {
      found[`${edition} ${script}`] = 0
      for (const lookup of answered) {
        const { items } = await searcher.ask(lookup[script])
        const page = items.length ? items[0][0].location.split("#")[0] : null
        if (page === `types/${lookup.id}/`) found[`${edition} ${script}`]++
        else misses.push([edition, script, lookup[script], lookup.id, page])
      }
    }
  }
  assert.ok(answered.size >= 0.95 * site.lookups.length && site.lookups.length >= 120, `${answered.size} of ${site.lookups.length}`)
  assert.ok(site.lookups.some(lookup => lookup.s2twp !== lookup["zh-Hans"] && lookup.s2hk !== lookup.s2twp))
  assert.deepEqual(misses, [], JSON.stringify(found))
})

function indexFile(path) {
  return parseWrapped(readFileSync(join(site.site, "search", path), "utf8"))
}

test("a first query loads the page table's head and only the shards of the results it lists", async () => {
  const fresh = await searchOf(site.site)
  const { items } = await fresh.ask("退货")
  const head = indexFile("kesu/pages.js"), table = pageTable(head)
  const shards = readdirSync(join(site.site, "search/kesu/p")).length
  const numberOf = new Map()
  for (let shard = 0; shard < shards; shard++) {
    indexFile(`kesu/p/${shard}.js`).forEach((row, i) => row && numberOf.set(row[0], shard * head.rows + i))
  }
  table.boosted.forEach((row, number) => numberOf.set(row[0], number))
  const listed = items.map(group => numberOf.get(group[0].location))
  assert.ok(listed.every(number => number !== undefined))
  const needed = new Set(listed.filter(n => !table.boosted.has(n)).map(n => `search/kesu/p/${Math.floor(n / head.rows)}.js`))
  const loaded = fresh.loaded.filter(path => path.startsWith("search/kesu/p/"))
  assert.deepEqual(new Set(loaded), needed)
  assert.equal(loaded.length, needed.size)  // each once
  assert.ok(fresh.loaded.includes("search/kesu/pages.js") && fresh.loaded.includes("search/kesu/words.js"))
  const fragments = fresh.loaded.filter(path => path.startsWith("search/kesu/f/"))
  assert.ok(fragments.length >= 1 && fragments.length <= SHOWN)
})

test("a query matching more pages than listed lists the best ones; all of them are there for measuring", async () => {
  const fresh = await searchOf(site.site)
  const all = await fresh.ask("投诉 处理", true)
  assert.ok(all.locations.length > LISTED, `${all.locations.length} pages`)
  const { items } = await fresh.ask("投诉 处理")
  assert.equal(items.length, LISTED + 1)  // and the line leading to the case library
  assert.deepEqual(items.slice(0, LISTED).map(group => group[0].location), all.locations.slice(0, LISTED))
  assert.equal(items[LISTED][0].title, "更多结果")  // the catalogue's search.more (MORE_TITLE), from the manifest
  assert.ok(items[LISTED][0].location.includes("cases/?q="))
})

test("a query that matches nothing suggests the type index and the escalation page, from the table's head", async () => {
  const fresh = await searchOf(site.site)
  const result = await fresh.ask("zzqqxx")
  assert.deepEqual(result.items.map(group => group[0].location), ["types/", "procedures/severity-escalation/"])
  assert.ok(result.items[0][0].title.startsWith("建议："))
  assert.deepEqual(fresh.loaded.filter(path => path.startsWith("search/kesu/p/")), [])
})
