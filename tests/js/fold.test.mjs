// kesu-fold.js: Traditional queries folded to Simplified with the generated pairs (generator/fold.py).
// tests/test_fold.py runs these files in Node to compare them with the Python fold (parity).
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const PAIRS = require("../../docs/assets/javascripts/kesu-fold-map.js");
const { makeFold } = require("../../docs/assets/javascripts/kesu-fold.js");
const fold = makeFold(PAIRS);

test("a Traditional phrase folds to its Simplified spelling", () => {
  assert.equal(fold("快遞遺失"), "快递遗失");
  assert.equal(fold("投訴升級"), "投诉升级");
  assert.equal(fold("態度"), "态度");
});

test("Simplified text, ASCII and punctuation are left as they are", () => {
  for (const text of ["快递遗失", "12315 ok", "", "（）、。"]) assert.equal(fold(text), text);
});

test("characters beyond the BMP are one code point, and a lone surrogate survives", () => {
  assert.equal(fold("𠮷快遞"), "𠮷快递");
  assert.equal(fold("遞\uD800遺"), "递\uD800遗");
});

test("without pairs, nothing is folded", () => {
  assert.equal(makeFold("")("快遞"), "快遞");
});

