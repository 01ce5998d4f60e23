"""The kesu command line: exit codes and exact messages."""
from __future__ import annotations

import re
import shlex
from datetime import date

import click
import pytest
from click.testing import CliRunner

from conftest import copy_real_project, write
from generator.cli import main

CASE = "cases/library/sample-case.yml"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_check_ok_prints_counts_and_warnings(fixture_project, in_dir):
    in_dir(fixture_project)
    result = run("check")
    assert result.exit_code == 0
    assert result.stdout == "ok: 1 types, 1 procedures, 2 cases, 1 modules\n"
    assert result.stderr.splitlines()[0] == (
        "cases/types/wrong-price.yml:30: warning: field 'scripts.书面/网络': no script yet for 开场与安抚, "
        "致歉与共情, 了解事实, 提出方案, 确认与结束, 回访")


def test_check_prints_one_line_per_problem_and_exits_1(fixture_project, in_dir):
    in_dir(fixture_project)
    path = fixture_project / CASE
    path.write_text(path.read_text(encoding="utf-8").replace("channel: 当面", "channel: 店面")
                    .replace("severity: 一般", "severity: 严重"), encoding="utf-8")
    result = run("check")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "cases/library/sample-case.yml:5: field 'channel': expected one of 电话, 当面, 书面/网络, got '店面'\n"
        "cases/library/sample-case.yml:6: field 'severity': expected one of 一般, 重要, 重大, got '严重'\n"
        "2 problem(s) found; nothing was written.\n")


def test_check_refuses_a_thesaurus_phrase_listed_in_two_groups(fixture_project, in_dir):
    in_dir(fixture_project)
    write(fixture_project, "cases/search/synonyms.yml",
          "groups:\n  - terms: [丢失]\n    callers_say: [找不着]\n  - terms: [延误]\n    callers_say: [找不着]\n")
    result = run("check")
    assert result.exit_code == 1
    assert result.stderr == (
        "cases/search/synonyms.yml:5: field 'groups[1].callers_say[0]': '找不着' is already listed at line 3 "
        "(groups[0].callers_say[0]); list each phrase in one group only\n"
        "1 problem(s) found; nothing was written.\n")


def test_outside_a_project_says_where_to_run(tmp_path, in_dir):
    in_dir(tmp_path)
    result = run("check")
    assert result.exit_code == 1
    assert result.stderr == f"Error: no cases/ folder in {tmp_path}: run kesu from the project folder\n"


def test_generate_writes_only_changed_pages_and_removes_stale_ones(fixture_project, in_dir):
    in_dir(fixture_project)
    assert run("generate").stdout == "generated: 33 written, 0 unchanged, 0 removed\n"
    assert run("generate").stdout == "generated: 0 written, 33 unchanged, 0 removed\n"
    (fixture_project / "cases/library/documented-case.yml").unlink()
    # the case index, its type's list, the case library's data (head, chunk, texts, their fold pairs), the related type and
    # the statistics change; the case's page goes, and the facet pages only it was on (重大, 电话, 房地产, 真实案例)
    assert run("generate").stdout == "generated: 8 written, 20 unchanged, 5 removed\n"
    assert not (fixture_project / "docs/cases/documented-case.md").exists()


def test_invalid_sources_write_nothing(fixture_project, in_dir):
    in_dir(fixture_project)
    write(fixture_project, "cases/library/broken.yml", "title: [\n")
    assert run("generate").exit_code == 1
    assert not (fixture_project / "docs").exists()


def leaf_commands(group: click.Group, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command a user can run, as the words after `kesu` (e.g. ("new", "case")), from the group itself."""
    found = []
    for name, command in sorted(group.commands.items()):
        found += leaf_commands(command, path + (name,)) if isinstance(command, click.Group) else [path + (name,)]
    return found


def test_the_command_list_is_the_cli_s_own():
    assert len(leaf_commands(main)) >= 7 and ("new", "case") in leaf_commands(main)


@pytest.mark.parametrize("command", leaf_commands(main), ids=" ".join)
def test_every_command_has_help_with_an_example_that_parses(command):
    result = run(*command, "--help")
    assert result.exit_code == 0
    examples = re.findall(r"Example: (kesu .*?)(?=  |\n|$)", result.stdout)
    assert examples, result.stdout
    for example in examples:
        words = shlex.split(example)[1:]
        assert tuple(words[:len(command)]) == command, example
        # Parsing the example's options (without running it) fails on an option the command lacks.
        target = main
        for name in command:
            target = target.commands[name]
        target.make_context(" ".join(command), words[len(command):])


@pytest.fixture
def built_project(tmp_path, in_dir):
    root = in_dir(copy_real_project(tmp_path / "real"))
    assert run("build").exit_code == 0
    (root / "site" / "marker.txt").write_text("previous build")
    return root


def test_failed_validation_leaves_the_previous_site(built_project):
    write(built_project, "cases/library/broken.yml", "title: x\n")
    result = run("build")
    assert result.exit_code == 1
    assert "cases/library/broken.yml:1: field 'industry': required field is missing" in result.stderr
    assert (built_project / "site" / "marker.txt").read_text() == "previous build"


def test_failed_build_leaves_the_previous_site(built_project):
    config = built_project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("name: material", "name: no-such-theme"),
                      encoding="utf-8")
    result = run("build")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "Error: build failed, site/ was left as it was: mkdocs.yml: Config value 'theme': Unrecognised theme "
        "name: 'no-such-theme'. The available installed themes are: mkdocs, readthedocs, material"]
    assert (built_project / "site" / "marker.txt").read_text() == "previous build"
    assert [p.name for p in built_project.iterdir() if p.name.startswith("site")] == ["site"]


def test_successful_build_replaces_the_site(built_project):
    result = run("build")
    assert result.exit_code == 0
    assert result.stdout.startswith("built site/ in ")
    assert not (built_project / "site" / "marker.txt").exists()


def fix_today(monkeypatch, day: date) -> None:
    """The date the CLI measures review ages from (its Settings read the clock through generator.settings)."""
    class Today(date):
        @classmethod
        def today(cls):
            return day

    monkeypatch.setattr("generator.settings.date", Today)


def test_review_days_option_reports_old_reviews(fixture_project, in_dir, monkeypatch):
    in_dir(fixture_project)
    warning = ("cases/library/sample-case.yml:28: warning: field 'reviewed': last reviewed 2026-11-01, more than 1 "
               "days ago: check the content and update it")
    fix_today(monkeypatch, date(2026, 11, 2))  # one day after the review: not yet due
    result = run("check", "--review-days", "1")
    assert result.exit_code == 0 and "sample-case.yml:28" not in result.stderr
    fix_today(monkeypatch, date(2026, 11, 3))
    result = run("check", "--review-days", "1")
    assert result.exit_code == 0 and warning in result.stderr


def test_a_mobile_number_in_a_case_fails_check(fixture_project, in_dir):
    in_dir(fixture_project)
    path = fixture_project / CASE
    path.write_text(path.read_text(encoding="utf-8").replace("顾客发现多收了 3 元。", "顾客 13912345678 发现多收了 3 元。"),
                    encoding="utf-8")
    result = run("check")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "cases/library/sample-case.yml:8: field 'summary': personal data (手机号 '13*******78', shown masked): "
        "remove or mask it (e.g. 138****8000); if it is not a real person's, end the line with the comment "
        "'# kesu: allow-personal-data'",
        "1 problem(s) found; nothing was written.",
    ]
