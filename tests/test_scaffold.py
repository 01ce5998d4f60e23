"""`kesu new case|type` and `kesu schema`: scaffolds that pass `kesu check`, ids, schemas."""
from __future__ import annotations

import json
from datetime import date

from click.testing import CliRunner

from conftest import REPO, copy_real_project
from generator.cli import main
from generator.load import load_project
from generator.scaffold import schema_texts


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(main, list(args), input=input)


def test_new_case_with_flags_writes_a_file_that_checks_and_builds(tmp_path, in_dir):
    root = in_dir(copy_real_project(tmp_path / "real"))
    result = run("new", "case", "--id", "x", "--title", "T")
    assert result.exit_code == 0, result.output
    assert result.stdout == "cases/library/x.yml\n"
    text = (root / "cases/library/x.yml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schema/case.schema.json\n")
    assert (root / "cases/schema/case.schema.json").is_file()
    assert run("check").exit_code == 0
    assert run("build").exit_code == 0
    assert (root / "site/cases/x/index.html").is_file()


def test_new_case_explains_every_field_in_chinese(fixture_project, in_dir):
    in_dir(fixture_project)
    run("new", "case", "--id", "x", "--title", "T")
    lines = (fixture_project / "cases/library/x.yml").read_text(encoding="utf-8").splitlines()
    keys = [i for i, line in enumerate(lines) if line and not line.startswith((" ", "#", "-"))]
    assert all(lines[i - 1].startswith("# ") or lines[i - 2].startswith("# ") for i in keys)


def test_new_case_interactive_asks_for_each_field(fixture_project, in_dir):
    in_dir(fixture_project)
    result = run("new", "case", "--id", "asked", input="退款迟迟不到账\n餐饮\nwrong-prise\nwrong-price\n当面\n重要\n")
    assert result.exit_code == 0, result.output
    assert "Error: unknown type 'wrong-prise'; did you mean 'wrong-price'?" in result.output
    case = load_project(fixture_project).cases["asked"]
    assert (case.title, case.industry, case.types, case.channel, case.severity) == \
        ("退款迟迟不到账", "餐饮", ["wrong-price"], "当面", "重要")


def test_new_case_takes_a_list_value_by_label_alias_or_id_and_writes_the_label(fixture_project, in_dir):
    in_dir(fixture_project)
    result = run("new", "case", "--id", "named", "--title", "T", "--channel", "网络", "--severity", "major",
                 "--industry", "快递")
    assert result.exit_code == 0, result.output
    case = load_project(fixture_project).cases["named"]
    assert (case.channel, case.severity, case.industry) == ("书面/网络", "重大", "快递物流")


def test_new_case_refuses_an_unknown_list_value_naming_the_labels(fixture_project, in_dir):
    in_dir(fixture_project)
    result = run("new", "case", "--id", "bad", "--title", "T", "--channel", "店面")
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == \
        "Error: Invalid value for '--channel': '店面' is not one of '电话', '当面', '书面/网络'."
    assert not (fixture_project / "cases/library/bad.yml").exists()


def test_new_case_without_id_picks_a_free_one(fixture_project, in_dir):
    in_dir(fixture_project)
    stamp = f"{date.today():%Y%m%d}"
    assert run("new", "case", "--title", "A").stdout == f"cases/library/case-{stamp}.yml\n"
    assert run("new", "case", "--title", "B").stdout == f"cases/library/case-{stamp}-2.yml\n"


def test_new_case_titles_are_written_as_safe_yaml(fixture_project, in_dir):
    in_dir(fixture_project)
    run("new", "case", "--id", "odd", "--title", 'a: "b" # c <script>')
    assert load_project(fixture_project).cases["odd"].title == 'a: "b" # c <script>'


def test_new_case_refuses_bad_ids_existing_files_and_unknown_types(fixture_project, in_dir):
    in_dir(fixture_project)
    for args, message in [
        (["--id", "../escape"], "Error: id '../escape' is not valid: use lowercase letters, digits and hyphens, "
                                "e.g. late-refund\n"),
        (["--id", "sample-case"], "Error: cases/library/sample-case.yml already exists: choose another --id\n"),
        (["--id", "y", "--type", "nope"], "Error: unknown type 'nope'\n"),
    ]:
        result = run("new", "case", "--title", "T", *args)
        assert result.exit_code == 1
        assert result.stderr == message


def test_new_type_writes_a_file_that_checks(fixture_project, in_dir):
    in_dir(fixture_project)
    result = run("new", "type", "--id", "gift-card", "--name", "购物卡", "--category", "服务")
    assert result.stdout == "cases/types/gift-card.yml\n"
    project = load_project(fixture_project)
    assert project.types["gift-card"].name == "购物卡"
    assert any("still says 待补充" in w.message for w in project.warnings if w.path == "cases/types/gift-card.yml")


def test_schema_command_writes_one_schema_per_kind(fixture_project, in_dir):
    in_dir(fixture_project)
    result = run("schema")
    assert result.stdout.splitlines() == [
        "cases/schema/type.schema.json", "cases/schema/procedure.schema.json", "cases/schema/case.schema.json",
        "cases/schema/module.schema.json", "cases/schema/roleplay.schema.json"]
    case_schema = json.loads((fixture_project / "cases/schema/case.schema.json").read_text(encoding="utf-8"))
    assert case_schema["properties"]["channel"]["enum"] == ["电话", "当面", "书面/网络"]
    assert case_schema["additionalProperties"] is False


def test_shipped_schemas_are_up_to_date():
    for name, text in schema_texts().items():
        assert (REPO / "cases/schema" / name).read_text(encoding="utf-8") == text, f"run kesu schema ({name})"


def test_new_case_asks_for_the_id_offering_a_free_default(fixture_project, in_dir):
    in_dir(fixture_project)
    stamp = f"{date.today():%Y%m%d}"
    result = run("new", "case", input="标题\nindex\nsample-case\n\n\nwrong-price\n\n\n")
    assert result.exit_code == 0, result.output
    assert f"(id) [case-{stamp}]: " in result.output
    assert "Error: id 'index' is reserved: its page would replace the /cases/ index; choose another name" \
        in result.output
    assert "Error: cases/library/sample-case.yml already exists: choose another id" in result.output
    assert result.stdout.splitlines()[-1] == f"cases/library/case-{stamp}.yml"


def test_new_case_takes_a_type_by_its_chinese_name_or_confirmed_part_of_it(fixture_project, in_dir):
    in_dir(fixture_project)
    result = run("new", "case", "--id", "by-name", input="标题\n\n价签\n\n\n\n")
    assert result.exit_code == 0, result.output
    assert "已有的投诉类型: wrong-price（价签不符）" in result.output
    assert "'价签' 是指 wrong-price（价签不符） 吗？ [Y/n]: " in result.output
    assert load_project(fixture_project).cases["by-name"].types == ["wrong-price"]
    result = run("new", "case", "--id", "by-flag", "--title", "T", "--type", "价签不符")
    assert result.exit_code == 0, result.output
    assert load_project(fixture_project).cases["by-flag"].types == ["wrong-price"]


def test_new_case_type_flag_with_part_of_a_name_suggests_the_id(fixture_project, in_dir):
    in_dir(fixture_project)
    result = run("new", "case", "--id", "part", "--title", "T", "--type", "价签")
    assert (result.exit_code, result.stderr) == (
        1, "Error: unknown type '价签'; did you mean wrong-price（价签不符）? pass its id: --type wrong-price\n")


def test_new_case_refuses_reserved_and_line_break_ids(fixture_project, in_dir):
    in_dir(fixture_project)
    for id_, message in [
        ("index", "Error: id 'index' is reserved: its page would replace the /cases/ index; choose another name\n"),
        ("late\n", "Error: id 'late\\n' is not valid: use lowercase letters, digits and hyphens, e.g. late-refund\n"),
    ]:
        result = run("new", "case", "--title", "T", "--id", id_)
        assert (result.exit_code, result.stderr) == (1, message)
    assert not (fixture_project / "cases/library/index.yml").exists()


def test_new_titles_with_line_breaks_become_one_line_and_pass_check(fixture_project, in_dir):
    in_dir(fixture_project)
    assert run("new", "case", "--id", "multi", "--title", "退款\n迟迟  不到账\r\n").exit_code == 0
    assert run("new", "type", "--id", "gift", "--name", "购物卡\n问题", "--category", "服务").exit_code == 0
    project = load_project(fixture_project)
    assert project.cases["multi"].title == "退款 迟迟 不到账"
    assert project.types["gift"].name == "购物卡 问题"


def test_new_titles_with_control_characters_are_refused(fixture_project, in_dir):
    in_dir(fixture_project)
    result = run("new", "case", "--id", "ctl", "--title", "退款\x1b[2J\u202e")
    assert (result.exit_code, result.stderr) == (
        1, "Error: --title: control character U+001B (ESCAPE): remove it (often pasted from another program or a "
           "YAML escape)\n")
    assert not (fixture_project / "cases/library/ctl.yml").exists()
