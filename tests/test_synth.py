"""The benchmark's synthetic case library (bench/synth.py): valid, deterministic, realistically sized."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from conftest import REPO, copy_real_project
from generator.load import load_project


def _load_synth():
    # bench/ is a folder of scripts, not a package: load the module from its file.
    spec = importlib.util.spec_from_file_location("bench_synth", REPO / "bench" / "synth.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


synth = _load_synth()


def _fresh_copy(tmp_path: Path, name: str) -> Path:
    return copy_real_project(tmp_path / name)


def test_synthetic_cases_load_without_errors(tmp_path, in_dir):
    root = in_dir(_fresh_copy(tmp_path, "project"))
    paths = synth.write_synthetic_cases(root, 30)

    project = load_project(root)  # raises SourceErrors on any problem

    assert [p.name for p in paths] == [f"synthetic-{n:04d}.yml" for n in range(1, 31)]
    synthetic = [case for case in project.cases.values() if case.id.startswith("synthetic-")]
    assert len(synthetic) == 30
    assert all(case.origin == "教学虚构" for case in synthetic)
    assert len({case.title for case in synthetic}) == 30
    assert not [w for w in project.warnings if w.path.startswith("cases/library/synthetic-")]


def test_runs_are_deterministic_and_nested(tmp_path):
    small = synth.write_synthetic_cases(_fresh_copy(tmp_path, "small"), 10, seed=3)
    first_run = [p.read_bytes() for p in small]
    large = synth.write_synthetic_cases(_fresh_copy(tmp_path, "large"), 20, seed=3)
    other_seed = synth.write_synthetic_cases(_fresh_copy(tmp_path, "other"), 10, seed=4)
    # Run again over its own output: earlier synthetic files must not feed the vocabulary.
    again = synth.write_synthetic_cases(tmp_path / "small", 10, seed=3)

    assert [p.read_bytes() for p in again] == first_run
    assert first_run == [p.read_bytes() for p in large[:10]]
    assert [p.read_bytes() for p in small] != [p.read_bytes() for p in other_seed]


def test_each_case_has_about_fifteen_hundred_chinese_characters(tmp_path):
    paths = synth.write_synthetic_cases(_fresh_copy(tmp_path, "project"), 40)

    counts = [synth.cjk_count(p.read_text(encoding="utf-8")) for p in paths]

    assert all(1300 <= count <= 1800 for count in counts), counts


def test_written_files_load_to_the_composed_data(tmp_path):
    import yaml

    root = _fresh_copy(tmp_path, "project")
    vocabulary = synth.harvest(root)
    for number in range(1, 41):
        title, data = synth.compose_case(vocabulary, number, seed=7)
        assert yaml.safe_load(synth.case_yaml(title, data)) == data


def test_texts_that_look_like_yaml_syntax_stay_texts():
    import yaml

    odd = ["a: b", "中文: x", "中 #x", "中文:", "yes", "no", "1e3", "15:45", "- x", "中\n 缩进", "中\n\n段", "x\n",
           "\u2028中", "中\u2028", "\x85", "中文 ", "“引号”开头", "中\t文", "中\r\n文", "\ufeff中", "中\\n", "中'\"", ""]
    assert [yaml.safe_load("k: " + synth.yaml_scalar(text, 2))["k"] for text in odd] == odd
