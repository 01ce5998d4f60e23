// The case library's filter (docs/assets/kesu-cases.js): URL state, matching, counts and paging.
// Run with `node --test tests/js/`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const cases = require("../../docs/assets/kesu-cases.js");

// The shape generator/caselib.py writes: facets with [value, label], then each case's value numbers.
const HEAD = {
  v: 1, n: 5, chunk: 2, chunks: 3, h: "0123456789ab",
  f: [
    ["type", [["parcel-lost-damaged", "快件丢失或损坏"], ["refund-return", "退换货纠纷"], ["rude-staff", "服务态度差"]]],
    ["industry", [["快递物流", "快递物流"], ["零售与超市", "零售与超市"]]],
    ["severity", [["一般", "一般投诉"], ["重要", "重要投诉"], ["重大", "重大投诉"]]],
    ["channel", [["电话", "电话"], ["当面", "当面"]]],
    ["origin", [["真实案例", "真实案例"], ["教学案例", "教学案例"]]],
  ],
  x: {
    type: [0, [1, 2], 1, 2, 0],
    industry: [0, 1, 1, 1, 0],
    severity: [2, 2, 1, 0, 0],
    channel: [0, 1, 0, 1, 0],
    origin: [0, 1, 1, 1, 1],
  },
};
const TEXTS = ["快递丢了 包裹", "退款 态度", "退货 发票", "店员 态度 差", "延误 快递"];
const texts = (i) => TEXTS[i];

function state(fields) {
  return Object.assign(cases.emptyState(), fields);
}

test("the URL's parameters become the filter state; others are ignored", () => {
  assert.deepEqual(cases.parseState("?type=refund-return&severity=%E9%87%8D%E5%A4%A7&q=+退款+&page=3&x=1"),
    state({ type: "refund-return", severity: "重大", q: "退款", page: 3 }));
  assert.equal(cases.parseState("?page=-2").page, 1);
  assert.equal(cases.parseState("?page=abc").page, 1);
  assert.deepEqual(cases.parseState(""), cases.emptyState());
});

test("a state is written back in one order, without empty fields or page 1", () => {
  assert.equal(cases.stateToSearch(state({ q: "退款", severity: "重大", type: "refund-return" })),
    "type=refund-return&severity=%E9%87%8D%E5%A4%A7&q=%E9%80%80%E6%AC%BE");
  assert.equal(cases.stateToSearch(state({ page: 1 })), "");
  assert.equal(cases.stateToSearch(state({ origin: "教学案例", page: 2 })), "origin=%E6%95%99%E5%AD%A6%E6%A1%88%E4%BE%8B&page=2");
  const search = "type=parcel-lost-damaged&channel=%E7%94%B5%E8%AF%9D&q=a+b&page=4";
  assert.equal(cases.stateToSearch(cases.parseState(search)), search);
});

test("no filter matches every case, in list order", () => {
  assert.deepEqual(cases.filterCases(HEAD, cases.emptyState(), texts).matches, [0, 1, 2, 3, 4]);
});

test("facets combine with AND, and a case of several types matches each of them", () => {
  assert.deepEqual(cases.filterCases(HEAD, state({ type: "refund-return" }), texts).matches, [1, 2]);
  assert.deepEqual(cases.filterCases(HEAD, state({ type: "rude-staff" }), texts).matches, [1, 3]);
  assert.deepEqual(cases.filterCases(HEAD, state({ type: "refund-return", severity: "重大" }), texts).matches, [1]);
  assert.deepEqual(cases.filterCases(HEAD, state({ industry: "快递物流", origin: "教学案例" }), texts).matches, [4]);
});

test("a value the library does not have matches nothing", () => {
  assert.deepEqual(cases.filterCases(HEAD, state({ type: "no-such-type" }), texts).matches, []);
});

test("free text needs every word, in any order, ignoring case and full-width forms", () => {
  assert.deepEqual(cases.filterCases(HEAD, state({ q: "态度" }), texts).matches, [1, 3]);
  assert.deepEqual(cases.filterCases(HEAD, state({ q: "差 态度" }), texts).matches, [3]);
  const latin = ["Refund ＡＢＣ"];
  const one = Object.assign({}, HEAD, { n: 1, x: { type: [0], industry: [0], severity: [0], channel: [0], origin: [0] } });
  const normalized = (i) => cases.normalizeText(latin[i]);
  assert.deepEqual(cases.filterCases(one, state({ q: "refund abc" }), normalized).matches, [0]);
});

test("the texts are not asked for without free text", () => {
  const none = () => { throw new Error("texts loaded"); };
  assert.equal(cases.filterCases(HEAD, state({ severity: "一般" }), none).matches.length, 2);
});

test("each value's count is what choosing it would show, the other filters kept", () => {
  const { counts } = cases.filterCases(HEAD, state({ severity: "重大" }), texts);
  assert.deepEqual(counts.severity, [2, 1, 2]); // the facet's own filter is left out of its counts
  assert.deepEqual(counts.type, [1, 1, 1]);
  assert.deepEqual(counts.origin, [1, 1]);
  const both = cases.filterCases(HEAD, state({ severity: "重大", origin: "教学案例" }), texts).counts;
  assert.deepEqual(both.origin, [1, 1]);
  assert.deepEqual(both.severity, [2, 1, 1]);
  assert.deepEqual(both.channel, [0, 1]);
  for (const [name, values] of HEAD.f) {
    for (let v = 0; v < values.length; v++) {
      const chosen = state({ severity: "重大", origin: "教学案例", [name]: values[v][0] });
      assert.equal(both[name][v], cases.filterCases(HEAD, chosen, texts).matches.length, `${name}=${values[v][0]}`);
    }
  }
});

test("pages hold the given number of matches; a page past the end shows the last", () => {
  const matches = Array.from({ length: 120 }, (_, i) => i * 2);
  assert.deepEqual(cases.pageSlice(matches, 1, 50).items, matches.slice(0, 50));
  const last = cases.pageSlice(matches, 3, 50);
  assert.deepEqual([last.page, last.pages, last.start, last.items.length], [3, 3, 100, 20]);
  assert.equal(cases.pageSlice(matches, 9, 50).page, 3);
  assert.deepEqual(cases.pageSlice([], 2, 50), { page: 1, pages: 1, start: 0, items: [] });
});

test("a page loads only the chunks its cases are in", () => {
  assert.deepEqual(cases.chunksFor([0, 1, 4], 2), [0, 2]);
  assert.deepEqual(cases.chunksFor([], 500), []);
});

test("a row's line names severity, channel, industry and types like the generated list", () => {
  assert.equal(cases.metaLine(HEAD, 1), "重大投诉 · 当面 · 零售与超市 · 退换货纠纷、服务态度差");
  assert.equal(cases.isTeaching(HEAD, 0), false);
  assert.equal(cases.isTeaching(HEAD, 1), true);
});

test("data files are read as the JSON inside kesuCasesLoad(...)", () => {
  assert.deepEqual(cases.parseWrapped('kesuCasesLoad([["a","标题 (1)"]])\n'), [["a", "标题 (1)"]]);
});
