"""Settings: built once from options and kesu's environment variables, then passed down explicitly."""
from __future__ import annotations

from datetime import date

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.load import load_project
from generator.render import environment, render_type
from generator.settings import Settings, SettingError


def test_defaults_without_environment():
    settings = Settings.from_environment({})
    assert (settings.review_days, settings.engine, settings.pages_generated) == (365, "mkdocs", False)
    assert settings.today == date.today()


def test_environment_variables_are_read_and_given_values_win():
    environ = {"KESU_REVIEW_DAYS": " 90 ", "KESU_ENGINE": "zensical", "KESU_PAGES_GENERATED": "1"}
    settings = Settings.from_environment(environ)
    assert (settings.review_days, settings.engine, settings.pages_generated) == (90, "zensical", True)
    assert Settings.from_environment(environ, review_days=7, engine="mkdocs").review_days == 7


def test_a_given_value_is_not_spoiled_by_a_bad_variable():
    assert Settings.from_environment({"KESU_REVIEW_DAYS": "soon"}, review_days=30).review_days == 30
    with pytest.raises(SettingError, match=r"^KESU_REVIEW_DAYS must be a whole number of days such as 365, got 'soon'$"):
        Settings.from_environment({"KESU_REVIEW_DAYS": "soon"})


def test_environment_round_trip():
    settings = Settings(review_days=12, engine="zensical", pages_generated=True)
    assert Settings.from_environment(settings.environment()).but(today=settings.today) == settings


def test_cli_passes_the_option_down_without_touching_the_environment(fixture_project, in_dir, monkeypatch):
    import os

    in_dir(fixture_project)
    monkeypatch.delenv("KESU_REVIEW_DAYS")
    result = CliRunner().invoke(main, ["check", "--review-days", "1"])
    assert result.exit_code == 0, result.output
    assert "more than 1 days ago" in result.stderr
    assert "KESU_REVIEW_DAYS" not in os.environ


def test_render_type_works_alone(fixture_project):
    project = load_project(fixture_project, Settings(review_days=36500))
    page = render_type(project, project.types["wrong-price"])
    assert "\n# 价签不符\n" in page
    assert 'href="../../callcards/wrong-price/"' in page
    assert "kesu-overdue" not in page
    late = render_type(project, project.types["wrong-price"], Settings(today=date(2030, 1, 1), review_days=365))
    assert '<span class="kesu-badge kesu-overdue"' in late


def test_kesu_new_does_not_change_the_pages_environment(fixture_project, in_dir):
    env = environment()
    filters, globals_, autoescape, finalize = dict(env.filters), dict(env.globals), env.autoescape, env.finalize
    in_dir(fixture_project)
    result = CliRunner().invoke(main, ["new", "case", "--id", "x", "--title", "标题", "--type", "wrong-price"])
    assert result.exit_code == 0, result.output
    assert environment() is env
    assert (dict(env.filters), dict(env.globals), env.autoescape, env.finalize) == (filters, globals_, autoescape, finalize)
    assert "yaml_str" not in env.filters
