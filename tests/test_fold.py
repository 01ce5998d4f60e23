"""Cross-script search folding: Python's fold, the committed map and word list, and the worker's fold agree."""
from __future__ import annotations

import json
import random
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.edition import opencc_converter
from generator.fold import (
    FOLD_MAP_ASSET, MAINLAND_VARIANTS, WORD_PAIRS_FILE, Variants, edition_term_pairs, fold, fold_map_script, fold_pairs, opencc_fold_pairs,
    opencc_word_pairs, pairs_for, word_pairs, word_pairs_text,
)
from generator.search import STOP_WORDS

REPO = Path(__file__).resolve().parent.parent
NODE_FOLD = """
import { createRequire } from "node:module";
const require = createRequire(process.argv[1] + "/");
const pairs = require(process.argv[1] + "/docs/assets/javascripts/kesu-fold-map.js");
const { foldOf } = await import(process.argv[1] + "/generator/js/kesu-search.mjs");
const cases = require(process.argv[1] + "/docs/assets/kesu-cases.js");
const folds = [foldOf(pairs), cases.foldOf(pairs)];
let input = "";
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => process.stdout.write(JSON.stringify(folds.map((fold) => JSON.parse(input).map(fold)))));
"""


def test_both_scripts_of_a_phrase_fold_to_the_same_string():
    assert fold("快遞遺失") == fold("快递遗失") == "快递遗失"
    assert fold("投訴升級，態度很差") == "投诉升级，态度很差"


def test_simplified_text_and_ascii_are_unchanged():
    text = "顾客投诉快递丢失 12315 ok，（）"
    assert fold(text) == text


def test_the_stop_words_keep_their_form_so_that_a_folded_query_still_drops_them():
    assert [word for word in STOP_WORDS if fold(word) != word] == []


def test_what_s2twp_and_s2hk_write_for_a_simplified_character_folds_back_with_it():
    """著 for 着 (s2twp), 衞 for 卫 (s2hk): the fold merges them, into the more frequent form."""
    assert fold("找不著") == fold("找不着") == "找不着"
    assert fold("衞生") == fold("卫生") == "卫生"
    assert fold("什麼") == fold("什么") == "什么"
    gb2312 = [bytes([high, low]).decode("gb2312") for high in range(0xB0, 0xF8) for low in range(0xA1, 0xFF)
              if (high, low) not in {(0xD7, code) for code in range(0xFA, 0xFF)}]
    for config in ("s2t", "s2twp", "s2hk"):
        converter = opencc_converter(config)
        assert [(char, converter.convert(char)) for char in gb2312 if fold(converter.convert(char)) != fold(char)] == []


def test_simplified_characters_written_for_one_another_fold_together_with_their_traditional_forms():
    """Taiwan's 帳單 is the sources' 账单; 帐号 and 账号 are one account (MAINLAND_VARIANTS)."""
    assert fold("帳單") == fold("賬單") == fold("帐单") == fold("账单") == "账单"
    assert fold("帐号") == fold("帳號") == "账号"
    assert all(fold(loser) == fold(winner) == winner for loser, winner in MAINLAND_VARIANTS)


def test_the_pairs_keep_lengths_and_folding_twice_changes_nothing():
    pairs = dict(fold_pairs())
    assert pairs["遞"] == "递" and pairs["後"] == "后"
    assert len(pairs) > 3000
    assert all(len(t) == len(s) == 1 for t, s in pairs.items())
    assert all(s not in pairs for s in pairs.values())


def test_the_committed_map_is_the_one_opencc_gives():
    committed = (REPO / FOLD_MAP_ASSET).read_text(encoding="utf-8")
    assert committed == fold_map_script(opencc_fold_pairs()), "run `.venv/bin/python -m generator.fold` and commit"


def test_the_committed_word_list_is_the_one_opencc_gives_for_a_sample_of_jiebas_words():
    import jieba

    lines = (Path(jieba.__file__).resolve().parent / "dict.txt").read_text(encoding="utf-8").splitlines()
    sample = {fold(line.split(" ", 1)[0]) for line in lines[::40]}
    committed = {pair for pair in word_pairs() if pair[0] in sample}
    given = set(opencc_word_pairs(lines=lines[::40]))
    assert committed == given, "run `.venv/bin/python -m generator.fold` and commit"
    assert WORD_PAIRS_FILE.read_text(encoding="utf-8").startswith(word_pairs_text([]))


def test_the_word_list_pairs_mainland_and_taiwan_vocabulary():
    pairs = set(word_pairs())
    assert {("软件", "软体"), ("网络", "网路"), ("信息", "资讯"), ("联系", "联络"), ("出租车", "计程车")} <= pairs
    assert all(a != b for a, b in pairs)


def extra_bigrams(variants: Variants, run: str) -> list[str]:
    return variants.extra_bigrams(run, [run[i:i + 2] for i in range(len(run) - 1)])


def test_a_run_gets_the_bigrams_of_its_words_other_spellings_with_their_neighbours():
    variants = Variants([("出租车", "计程车"), ("软件", "软体")])
    assert extra_bigrams(variants, "叫计程车来") == ["叫出", "出租", "租车"]
    assert extra_bigrams(variants, "软件很好") == ["软体", "体很"]
    assert extra_bigrams(variants, "快递丢失") == []


def test_spellings_are_connected_across_regions_and_latin_words_have_theirs():
    variants = Variants([("消协", "消基会"), ("消协", "消委会"), ("12315", "1950")])
    assert variants.spellings("消委会") == ["消委会", "消协", "消基会"]
    assert variants.spellings("找消基会投诉") == ["找消基会投诉", "找消协投诉", "找消委会投诉"]
    assert variants.latin["1950"] == ["12315"] and variants.spellings("12315") == ["12315", "1950"]
    assert variants.spellings("快递") == ["快递"]


def test_the_edition_files_terms_of_every_region_are_pairs():
    pairs = edition_term_pairs(REPO)
    assert ("消协", "消基會") in pairs and ("消协", "消委會") in pairs and ("12315", "1950") in pairs


def test_the_worker_gets_only_the_pairs_of_characters_it_can_match():
    carried = pairs_for(set("快递丢失"))
    assert set(carried[1::2]) == {"递", "丢"} and "遞" in carried[::2] and "遺" not in carried


ODD_INPUT = [
    "", "快遞遺失", "快递遗失", "投訴升級", "態度", "ASCII only 123", "𠮷野家", "遞\ud800遺", "\udfff",
    "👩‍👩‍👧 遞", "ｆｕｌｌ－ｗｉｄｔｈ 後", "e\u0301 遞", "豈", "\U0002f800", "乾隆 乾淨 著作 著急",
    "\n\t遞 ", "\x00遞", "衞生 找不著 𫔭",
]


@pytest.mark.skipif(shutil.which("node") is None, reason="Node is installed by make (Debian's nodejs)")
def test_python_the_worker_and_the_case_list_fold_every_input_alike():
    """The search worker (kesu-search.mjs) and the case list's filter (kesu-cases.js, a classic script
    of its own) each carry a foldOf; both must fold as Python folded the texts they search."""
    rng = random.Random(15)
    traditional = [t for t, _ in fold_pairs()]
    samples = ODD_INPUT + ["".join(traditional)] + ["".join(rng.choices(traditional + list("简体 ab"), k=40))
                                                    for _ in range(50)]
    result = subprocess.run(["node", "--input-type=module", "-e", NODE_FOLD, str(REPO)], input=json.dumps(samples),
                            capture_output=True, text=True, encoding="utf-8", check=True, timeout=60)
    worker, case_list = json.loads(result.stdout)
    assert worker == case_list == [fold(text) for text in samples]
