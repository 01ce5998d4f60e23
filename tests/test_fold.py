"""Cross-script search folding: Python's fold, the committed map, and the browser's fold agree."""
from __future__ import annotations

import json
import random
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.fold import FOLD_MAP_ASSET, fold, fold_map_script, fold_pairs

REPO = Path(__file__).resolve().parent.parent
NODE_FOLD = """
const pairs = require(process.argv[1] + "/docs/assets/javascripts/kesu-fold-map.js");
const { makeFold } = require(process.argv[1] + "/docs/assets/javascripts/kesu-fold.js");
const fold = makeFold(pairs);
let input = "";
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => process.stdout.write(JSON.stringify(JSON.parse(input).map(fold))));
"""


def test_both_scripts_of_a_phrase_fold_to_the_same_string():
    assert fold("快遞遺失") == fold("快递遗失") == "快递遗失"
    assert fold("投訴升級，態度很差") == "投诉升级，态度很差"


def test_simplified_text_and_ascii_are_unchanged():
    text = "顾客投诉快递丢失 12315 ok，（）"
    assert fold(text) == text


def test_the_pairs_come_from_opencc_and_keep_lengths():
    pairs = dict(fold_pairs())
    assert pairs["遞"] == "递" and pairs["後"] == "后"
    assert len(pairs) > 3000
    assert all(len(t) == len(s) == 1 for t, s in pairs.items())


def test_the_committed_map_is_the_one_opencc_gives():
    committed = (REPO / FOLD_MAP_ASSET).read_text(encoding="utf-8")
    assert committed == fold_map_script(), "run `.venv/bin/python -m generator.fold` and commit the map"


ODD_INPUT = [
    "", "快遞遺失", "快递遗失", "投訴升級", "態度", "ASCII only 123", "𠮷野家", "遞\ud800遺", "\udfff",
    "👩‍👩‍👧 遞", "ｆｕｌｌ－ｗｉｄｔｈ 後", "e\u0301 遞", "豈", "\U0002f800", "乾隆 乾淨 著作 著急",
    "\n\t遞 ", "\x00遞",
]


@pytest.mark.skipif(shutil.which("node") is None, reason="Node is installed by make (Debian's nodejs)")
def test_python_and_the_browser_fold_every_input_alike():
    rng = random.Random(15)
    traditional = [t for t, _ in fold_pairs()]
    samples = ODD_INPUT + ["".join(traditional)] + ["".join(rng.choices(traditional + list("简体 ab"), k=40))
                                                    for _ in range(50)]
    result = subprocess.run(["node", "-e", NODE_FOLD, str(REPO)], input=json.dumps(samples), capture_output=True,
                            text=True, encoding="utf-8", check=True, timeout=60)
    assert json.loads(result.stdout) == [fold(text) for text in samples]
