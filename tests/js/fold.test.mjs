// The worker's fold (generator/js/kesu-search.mjs's foldOf) with the committed map of generator/fold.py:
// Traditional queries folded to Simplified. tests/test_fold.py runs it in Node against the Python fold (parity).
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

import { Lexicon, foldOf, normalize } from "../../generator/js/kesu-search.mjs";

const require = createRequire(import.meta.url);
const PAIRS = require("../../docs/assets/javascripts/kesu-fold-map.js");
const fold = foldOf(PAIRS);

test("a Traditional phrase folds to its Simplified spelling", () => {
  assert.equal(fold("快遞遺失"), "快递遗失");
  assert.equal(fold("投訴升級"), "投诉升级");
  assert.equal(fold("態度"), "态度");
});

test("the forms the regional conversions write fold with the Simplified character", () => {
  assert.equal(fold("找不著"), "找不着");   // s2twp writes 著 for 着
  assert.equal(fold("衞生"), "卫生");       // s2hk writes 衞 for 卫
  assert.equal(fold("怎麼"), "怎么");
});

test("Simplified text, ASCII and punctuation are left as they are", () => {
  for (const text of ["快递遗失", "12315 ok", "", "（）、。", "什么 怎么 着"]) assert.equal(fold(text), text);
});

test("characters beyond the BMP are one code point, and a lone surrogate survives", () => {
  assert.equal(fold("𠮷快遞"), "𠮷快递");
  assert.equal(fold("遞\uD800遺"), "递\uD800遗");
});

test("without pairs, nothing is folded", () => {
  assert.equal(foldOf("")("快遞"), "快遞");
  assert.equal(foldOf(undefined)("快遞"), "快遞");
  assert.equal(new Lexicon({ v: "", g: [] }).fold("快遞"), "快遞");
});

test("a lexicon folds queries with the pairs words.js carries, after NFKC and lower case", () => {
  const lexicon = new Lexicon({ v: "快递 丢失", g: [], f: "遞递" });
  assert.equal(normalize("ＷＩＦＩ快遞遺失", lexicon.fold), "wifi快递遺失");
  assert.equal(normalize("快遞"), "快遞");
});
