// The case library's filter (docs/assets/kesu-cases.js): URL state, matching, counts and paging.
// Run with `node --test tests/js/`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const cases = require("../../docs/assets/kesu-cases.js");

// The shape generator/caselib.py writes: facets with [id, label], then each case's value numbers.
const HEAD = {
  v: 1, n: 5, chunk: 2, chunks: 3, h: "0123456789ab",
  f: [
    ["type", [["parcel-lost-damaged", "快件丢失或损坏"], ["refund-return", "退换货纠纷"], ["rude-staff", "服务态度差"]]],
    ["industry", [["courier", "快递物流"], ["retail", "零售与超市"]]],
    ["severity", [["general", "一般投诉"], ["important", "重要投诉"], ["major", "重大投诉"]]],
    ["channel", [["phone", "电话"], ["in-person", "当面"]]],
    ["origin", [["documented", "真实案例"], ["teaching", "教学案例"]]],
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
  assert.deepEqual(cases.parseState("?type=refund-return&severity=major&q=+退款+&page=3&x=1"),
    state({ type: "refund-return", severity: "major", q: "退款", page: 3 }));
  assert.equal(cases.parseState("?page=-2").page, 1);
  assert.equal(cases.parseState("?page=abc").page, 1);
  assert.deepEqual(cases.parseState(""), cases.emptyState());
});

test("a state is written back in one order, without empty fields or page 1", () => {
  assert.equal(cases.stateToSearch(state({ q: "退款", severity: "major", type: "refund-return" })),
    "type=refund-return&severity=major&q=%E9%80%80%E6%AC%BE");
  assert.equal(cases.stateToSearch(state({ page: 1 })), "");
  assert.equal(cases.stateToSearch(state({ origin: "teaching", page: 2 })), "origin=teaching&page=2");
  const search = "type=parcel-lost-damaged&channel=phone&q=a+b&page=4";
  assert.equal(cases.stateToSearch(cases.parseState(search)), search);
});

// What CaseLibrary reads from the form's options: [id, label shown, data-aliases].
const CHANNEL_OPTIONS = [["", "全部", null], ["phone", "電話", "电话|来电"], ["written", "書面/網路", "书面/网络|书面|网络"]];

test("a facet named by its label, an alias or the edition's label becomes its id", () => {
  const aliases = { channel: cases.aliasTable(CHANNEL_OPTIONS) };
  for (const name of ["电话", "来电", "電話", "phone", " 电话 ", "PHONE"]) {
    assert.equal(cases.resolveAliases(state({ channel: name }), aliases).channel, "phone", name);
  }
  assert.equal(cases.resolveAliases(state({ channel: "书面/网络" }), aliases).channel, "written");
  assert.equal(cases.resolveAliases(state({ channel: "書面/網路" }), aliases).channel, "written");
  // An unknown name stays as it is (it then matches no option and the filter shows everything).
  assert.equal(cases.resolveAliases(state({ channel: "店面" }), aliases).channel, "店面");
  assert.equal(cases.resolveAliases(state({ channel: "全部" }), aliases).channel, "全部");
  // Facets without a table, q and page are left alone.
  const resolved = cases.resolveAliases(state({ channel: "电话", severity: "重大", q: "电话", page: 2 }), aliases);
  assert.deepEqual(resolved, state({ channel: "phone", severity: "重大", q: "电话", page: 2 }));
});

test("an old link's label filters like the id: ?channel=电话 shows the phone cases", () => {
  const aliases = { channel: cases.aliasTable([["phone", "电话", "电话"], ["in-person", "当面", "当面"]]) };
  const old = cases.resolveAliases(cases.parseState("?channel=%E7%94%B5%E8%AF%9D"), aliases);
  assert.deepEqual(cases.filterCases(HEAD, old, texts).matches, [0, 2, 4]);
  assert.equal(cases.stateToSearch(old), "channel=phone");
});

test("no filter matches every case, in list order", () => {
  assert.deepEqual(cases.filterCases(HEAD, cases.emptyState(), texts).matches, [0, 1, 2, 3, 4]);
});

test("facets combine with AND, and a case of several types matches each of them", () => {
  assert.deepEqual(cases.filterCases(HEAD, state({ type: "refund-return" }), texts).matches, [1, 2]);
  assert.deepEqual(cases.filterCases(HEAD, state({ type: "rude-staff" }), texts).matches, [1, 3]);
  assert.deepEqual(cases.filterCases(HEAD, state({ type: "refund-return", severity: "major" }), texts).matches, [1]);
  assert.deepEqual(cases.filterCases(HEAD, state({ industry: "courier", origin: "teaching" }), texts).matches, [4]);
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
  assert.equal(cases.filterCases(HEAD, state({ severity: "general" }), none).matches.length, 2);
});

test("each value's count is what choosing it would show, the other filters kept", () => {
  const { counts } = cases.filterCases(HEAD, state({ severity: "major" }), texts);
  assert.deepEqual(counts.severity, [2, 1, 2]); // the facet's own filter is left out of its counts
  assert.deepEqual(counts.type, [1, 1, 1]);
  assert.deepEqual(counts.origin, [1, 1]);
  const both = cases.filterCases(HEAD, state({ severity: "major", origin: "teaching" }), texts).counts;
  assert.deepEqual(both.origin, [1, 1]);
  assert.deepEqual(both.severity, [2, 1, 1]);
  assert.deepEqual(both.channel, [0, 1]);
  for (const [name, values] of HEAD.f) {
    for (let v = 0; v < values.length; v++) {
      const chosen = state({ severity: "major", origin: "teaching", [name]: values[v][0] });
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
  assert.deepEqual(cases.originOf(HEAD, 1), ["teaching", "教学案例"]);  // the badge shows the edition's label
});

test("data files are read as the JSON inside kesuCasesLoad(...)", () => {
  assert.deepEqual(cases.parseWrapped('kesuCasesLoad([["a","标题 (1)"]])\n'), [["a", "标题 (1)"]]);
});

test("a query typed in Traditional characters is folded onto the Simplified texts", () => {
  const fold = cases.foldOf("遞递態态");
  assert.deepEqual(cases.queryTerms("快遞  態度", fold), ["快递", "态度"]);
  assert.deepEqual(cases.filterCases(HEAD, state({ q: "態度" }), texts, fold).matches, [1, 3]);
  assert.deepEqual(cases.filterCases(HEAD, state({ q: "態度" }), texts).matches, []);  // unfolded: nothing
});
