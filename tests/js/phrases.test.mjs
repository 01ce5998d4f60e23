// What staff type mid-call lands on the right complaint type: the worker's engine over the shipped
// site's built index (moved here from the browser tests, which keep the search box itself).
import { after, before, test } from "node:test"
import assert from "node:assert/strict"

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
