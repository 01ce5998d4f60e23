"""The page registry: every generated output declared once, with the sources it depends on."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import REPO, copy_real_project
from generator import registry, site
from generator.load import load_project
from generator.settings import Settings

SETTINGS = Settings(review_days=36500)


def files_under(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def test_every_file_generate_writes_is_a_declared_output_under_a_declared_root(tmp_path):
    root = copy_real_project(tmp_path / "project")
    hand_written = files_under(root / "docs")
    assert not any(registry.page_is_generated(path) for path in hand_written)
    site.generate(root, SETTINGS)
    written = files_under(root / "docs") - hand_written
    project = load_project(root, SETTINGS)
    outputs = registry.outputs(project, SETTINGS)
    groups = site.rendered_files(project, SETTINGS, [output for output in outputs if output.group])
    declared = {output.path for output in outputs if not output.group} | set(site.merged(groups))
    assert written == declared
    assert all(registry.page_is_generated(path) for path in written)


def test_gitignore_lists_exactly_the_registry_roots():
    text = (REPO / ".gitignore").read_text(encoding="utf-8")
    block = re.search(r"^# begin generated.*?\n(.*?)^# end generated$", text, re.S | re.M).group(1)
    listed = [line for line in block.splitlines() if not line.startswith("#")]
    assert listed == [f"docs/{root}" for root in registry.GENERATED_ROOTS]
    outside = text.replace(block, "")
    assert not any(line.startswith(f"docs/{root}") for line in outside.splitlines() for root in registry.GENERATED_ROOTS)


def test_titles_of_generated_pages_come_from_the_registry_not_from_old_pages_on_disk(fixture_project):
    stale = fixture_project / "docs" / "stats.md"
    stale.parent.mkdir()
    stale.write_text("# 上次生成的标题\n", encoding="utf-8")
    (fixture_project / "docs" / "guide.md").write_text("# 手写页面\n", encoding="utf-8")
    titles = registry.page_titles(load_project(fixture_project, SETTINGS))
    assert titles["stats.md"] == "案例统计"
    assert titles["learn/basics.md"].startswith("第 1 步：")
    assert titles["guide.md"] == "手写页面"


@pytest.fixture
def rendered(monkeypatch) -> list[str]:
    """The paths each generate() renders, in one list per call."""
    calls: list[list[str]] = []
    render_outputs = site.render_outputs

    def spy(outputs):
        calls.append(sorted(output.path for output in outputs))
        return render_outputs(outputs)

    monkeypatch.setattr(site, "render_outputs", spy)
    return calls


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


PAGES_LISTING_SAMPLE_CASE = ["cases/index.md", "cases/sample-case.md", "learn/basics.md", "learn/index.md",
                             "learn/roleplay/sample-roleplay.md", "stats.md", "types/wrong-price.md"]


def test_editing_a_case_renders_its_page_the_case_index_and_the_pages_that_list_it(fixture_project, rendered):
    _, first = site.generate(fixture_project, SETTINGS)
    edit(fixture_project / "cases/library/sample-case.yml", "title: 收银台的差价", "title: 收银台多收了钱")
    _, second = site.generate(fixture_project, SETTINGS, first.generation)
    assert rendered[1] == PAGES_LISTING_SAMPLE_CASE
    assert "收银台多收了钱" in (fixture_project / "docs/types/wrong-price.md").read_text(encoding="utf-8")
    assert "收银台多收了钱" in (fixture_project / "docs/learn/basics.md").read_text(encoding="utf-8")
    # A case nothing else names: its page, the index, the statistics and its type's page.
    edit(fixture_project / "cases/library/documented-case.yml", "summary: 一个真实事件。", "summary: 一个真实的事件。")
    site.generate(fixture_project, SETTINGS, second.generation)
    assert rendered[2] == ["cases/documented-case.md", "cases/index.md", "stats.md", "types/wrong-price.md"]


def test_an_unchanged_project_renders_nothing_and_changed_settings_render_everything(fixture_project, rendered):
    _, first = site.generate(fixture_project, SETTINGS)
    _, second = site.generate(fixture_project, SETTINGS, first.generation)
    assert rendered[1] == []
    site.generate(fixture_project, SETTINGS.but(review_days=30), second.generation)
    assert rendered[2] == rendered[0]


def test_a_page_is_rendered_again_when_it_stops_listing_a_case(fixture_project, rendered):
    write_type(fixture_project, "other-type")
    _, first = site.generate(fixture_project, SETTINGS)
    edit(fixture_project / "cases/library/documented-case.yml", "types: [wrong-price]", "types: [other-type]")
    site.generate(fixture_project, SETTINGS, first.generation)
    assert {"types/wrong-price.md", "types/other-type.md"} <= set(rendered[1])
    assert "有据可查的案例" not in (fixture_project / "docs/types/wrong-price.md").read_text(encoding="utf-8")


def write_type(root: Path, id_: str) -> None:
    text = (root / "cases/types/wrong-price.yml").read_text(encoding="utf-8")
    (root / f"cases/types/{id_}.yml").write_text(text.replace("related_cases: [sample-case]", "related_cases: []"),
                                                 encoding="utf-8")


def test_deleting_a_source_removes_its_pages_and_renders_the_pages_that_listed_it(fixture_project, rendered):
    write_type(fixture_project, "other-type")
    _, first = site.generate(fixture_project, SETTINGS)
    docs = fixture_project / "docs"
    assert (docs / "types/other-type.md").is_file() and (docs / "callcards/other-type.md").is_file()
    (fixture_project / "cases/types/other-type.yml").unlink()
    (fixture_project / "cases/library/documented-case.yml").unlink()
    _, second = site.generate(fixture_project, SETTINGS, first.generation)
    assert not (docs / "types/other-type.md").exists() and not (docs / "callcards/other-type.md").exists()
    assert not (docs / "cases/documented-case.md").exists()
    # the type's two pages, the case's page, and the case library's facet pages only that case was on
    # (重大, 电话, 房地产, 真实案例)
    assert second.removed == 7
    assert {"types/index.md", "cases/index.md", "types/wrong-price.md", "deadlines.md"} <= set(rendered[1])
    assert "有据可查的案例" not in (docs / "cases/index.md").read_text(encoding="utf-8")


def test_a_failed_generation_keeps_the_last_good_one_as_the_base_of_the_next(fixture_project, rendered):
    from generator.problems import SourceErrors

    _, first = site.generate(fixture_project, SETTINGS)
    case = fixture_project / "cases/library/sample-case.yml"
    edit(case, "channel: 当面", "channel: 店面")
    with pytest.raises(SourceErrors):
        site.generate(fixture_project, SETTINGS, first.generation)
    edit(case, "channel: 店面", "channel: 电话")
    site.generate(fixture_project, SETTINGS, first.generation)
    assert "cases/sample-case.md" in rendered[-1]
    assert "渠道：电话" in (fixture_project / "docs/cases/sample-case.md").read_text(encoding="utf-8")


def test_current_generation_describes_the_pages_just_written(fixture_project, rendered):
    site.generate(fixture_project, SETTINGS)
    baseline = site.current_generation(fixture_project, SETTINGS)
    edit(fixture_project / "cases/procedures/basic-flow.yml", "title: ", "title: 新")
    site.generate(fixture_project, SETTINGS, baseline)
    # (current_generation rendered the case library's group to know its files: the last call is generate's)
    assert "procedures/basic-flow.md" in rendered[-1] and "cases/sample-case.md" in rendered[-1]
    assert "callcards/wrong-price.md" not in rendered[-1]


@pytest.mark.parametrize("page, source", [
    ("cases/late-refund.md", "cases/library/late-refund.yml"),
    ("callcards/wrong-price.md", "cases/types/wrong-price.yml"),
    ("learn/roleplay/angry-caller.md", "cases/roleplays/angry-caller.yml"),
    ("learn/basics.md", "cases/modules/basics.yml"),
    ("learn/index.md", None), ("cases/index.md", None), ("stats.md", None), ("guide.md", None),
])
def test_source_file_of_a_page(page, source):
    assert registry.source_file_of(page) == source


def test_copies_of_docs_leave_out_what_kesu_generates(tmp_path):
    import shutil

    docs = tmp_path / "docs"
    for path in ("cases/x.md", "assets/glossary.js", "assets/kesu.css", "index.md", "learn/index.md"):
        (docs / path).parent.mkdir(parents=True, exist_ok=True)
        (docs / path).write_text("x", encoding="utf-8")
    shutil.copytree(docs, tmp_path / "copy", ignore=registry.generated_copy_filter(docs))
    assert files_under(tmp_path / "copy") == {"assets/kesu.css", "index.md"}


def test_kesu_clean_removes_the_registry_roots_and_site_but_no_source(tmp_path, in_dir):
    from click.testing import CliRunner

    from generator.cli import main

    root = in_dir(copy_real_project(tmp_path / "project"))
    hand_written = files_under(root / "docs")
    site.generate(root, SETTINGS)
    (root / "site").mkdir()
    sources = files_under(root / "cases")
    result = CliRunner().invoke(main, ["clean"])
    assert result.exit_code == 0, result.output
    assert result.stdout == ("removed 15: docs/types/ docs/callcards/ docs/procedures/ docs/deadlines.md docs/triage.md "
                             "docs/cases/ docs/learn/ docs/quiz.md docs/stats.md docs/assets/glossary.js docs/assets/kesu-strings.js "
                             "docs/assets/kesu-thesaurus.json docs/assets/javascripts/workers/kesu-search.js "
                             "docs/assets/kesu-dates.js site/\n")
    assert files_under(root / "docs") == hand_written and files_under(root / "cases") == sources
    assert not (root / "site").exists()
    assert CliRunner().invoke(main, ["clean"]).stdout == "removed 0: nothing was generated\n"


def test_a_group_output_writes_several_files_and_its_files_that_are_gone_are_removed(fixture_project, monkeypatch):
    """A group (as the case library's paged lists) declares one output whose render gives {path: text}."""
    listing = registry.Spec("cases/listing/index.md", lambda c: {
        f"cases/listing/{case.id}.md": f"# {case.title}\n" for case in c.project.cases.values()},
        lambda c: {registry.KIND_FOLDERS["library"]}, "列表", group=True)
    monkeypatch.setattr(registry, "SPECS", registry.SPECS + (listing,))
    docs = fixture_project / "docs"
    _, first = site.generate(fixture_project, SETTINGS)
    assert (docs / "cases/listing/documented-case.md").is_file() and (docs / "cases/listing/sample-case.md").is_file()
    (fixture_project / "cases/library/documented-case.yml").unlink()
    _, second = site.generate(fixture_project, SETTINGS, first.generation)
    assert not (docs / "cases/listing/documented-case.md").exists() and (docs / "cases/listing/sample-case.md").is_file()
    baseline = site.current_generation(fixture_project, SETTINGS)
    assert baseline.files["cases/listing/index.md"] == {"cases/listing/sample-case.md"}
    assert baseline.files == second.generation.files
