"""Faults end as one line and leave nothing half-written: names, settings, file system, ports, config."""
from __future__ import annotations

import errno
import os
import socket

import pytest
from click.testing import CliRunner

from conftest import write
from generator import files
from generator.cli import main
from generator.load import load_project
from generator.problems import Problem, SourceErrors

CASE = "cases/library/sample-case.yml"


def run(*args: str, **options):
    return CliRunner().invoke(main, list(args), **options)


def error_of(result) -> str:
    """The one line a failed command printed besides the sources' warnings."""
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if ": warning: " not in line]
    assert len(lines) == 1, result.stderr
    return lines[0]


def problems_of(root) -> list[str]:
    with pytest.raises(SourceErrors) as caught:
        load_project(root)
    return [str(p) for p in caught.value.problems]


# --- names ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind, index", [("types", "/types/"), ("procedures", "/procedures/"),
                                         ("modules", "/learn/")])
def test_reserved_index_ids_are_refused_in_every_kind(fixture_project, kind, index):
    write(fixture_project, f"cases/{kind}/index.yml", "title: x\n")
    assert f"cases/{kind}/index.yml:1: id 'index' is reserved: its page would replace the {index} index; " \
           f"choose another name" in problems_of(fixture_project)


def test_an_id_ending_in_a_line_break_is_refused(fixture_project):
    source = (fixture_project / CASE).read_bytes()
    write(fixture_project, "cases/library/late\n.yml", source)
    assert problems_of(fixture_project) == [
        "cases/library/late\\n.yml:1: file name 'late\\n.yml' is not a valid id: use lowercase letters, digits and "
        "hyphens, e.g. 'wrong-price.yml'"]


def test_files_in_subfolders_are_reported_not_ignored(fixture_project):
    source = (fixture_project / CASE).read_bytes()
    write(fixture_project, "cases/library/drafts/late.yml", source)
    write(fixture_project, "cases/library/notes.txt", "not a source")
    warnings = [str(w) for w in load_project(fixture_project).warnings]
    assert "cases/library/drafts/late.yml:1: warning: files in subfolders are not read: move it to cases/library/ " \
           "to publish it, or out of cases/ to keep it as a draft" in warnings
    assert not [w for w in warnings if "notes.txt" in w]


def test_upper_case_yaml_extension_is_an_error(fixture_project):
    write(fixture_project, "cases/types/gift.Yaml", "name: x\n")
    assert problems_of(fixture_project) == [
        "cases/types/gift.Yaml:1: extension '.Yaml' is not read: rename the file to 'gift.yaml'"]


# --- messages cannot drive the terminal ----------------------------------------------------------

def test_problem_lines_show_escape_sequences_escaped():
    line = str(Problem("cases/library/x.yml", 3, "channel", "expected one of 电话, got '\x1b[2J\x1b[1A\rok'"))
    assert line == "cases/library/x.yml:3: field 'channel': expected one of 电话, got '\\x1b[2J\\x1b[1A\\rok'"
    assert line.isprintable()


def test_cli_errors_echo_user_text_escaped(fixture_project, in_dir):
    in_dir(fixture_project)
    result = run("new", "case", "--title", "标题", "--type", "\x1b[2Jwrong")
    assert result.exit_code == 1
    assert result.stderr == "Error: unknown type '\\x1b[2Jwrong'\n"


# --- settings ------------------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["²", "abc", "0", "-5", "1e3", "٣"])
def test_review_days_that_are_not_a_whole_number_are_one_line(fixture_project, in_dir, monkeypatch, value):
    in_dir(fixture_project)
    monkeypatch.setenv("KESU_REVIEW_DAYS", value)
    for command in ("check", "generate"):
        result = run(command)
        assert result.exit_code == 1
        assert result.stderr == f"Error: KESU_REVIEW_DAYS must be a whole number of days such as 365, " \
                                f"got {value!r}\n"


def test_review_days_option_is_checked_too(fixture_project, in_dir):
    in_dir(fixture_project)
    result = run("check", "--review-days", "²")
    assert (result.exit_code, result.stderr) == (
        1, "Error: --review-days must be a whole number of days such as 365, got '²'\n")


# --- file system ---------------------------------------------------------------------------------

def test_disk_full_while_writing_a_page_leaves_no_aside_file(fixture_project, in_dir, monkeypatch):
    in_dir(fixture_project)
    written = []

    def full_disk(fd, data):
        os.write(fd, bytes(data[:10]))  # part of the page gets out before the disk fills
        written.append(fd)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files, "_write_all", full_disk)
    result = run("generate")
    assert written
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: cannot write docs/")
    assert result.stderr.endswith(": no space left on device (free some space and run again)\n")
    assert len(result.stderr.splitlines()) == 1
    assert not [p for p in (fixture_project / "docs").rglob("*") if p.is_file()]


def test_replace_file_keeps_the_old_file_when_writing_fails(tmp_path, monkeypatch):
    target = tmp_path / "page.md"
    target.write_bytes(b"old")

    def fail(fd, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files, "_write_all", fail)
    with pytest.raises(OSError):
        files.replace_file(target, b"new text")
    assert [p.name for p in tmp_path.iterdir()] == ["page.md"]
    assert target.read_bytes() == b"old"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through any permission")
def test_no_write_permission_is_one_line(fixture_project, in_dir):
    in_dir(fixture_project)
    (fixture_project / "docs").mkdir()
    (fixture_project / "docs").chmod(0o555)
    try:
        result = run("generate")
    finally:
        (fixture_project / "docs").chmod(0o755)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: cannot write docs/")
    assert result.stderr.endswith(": permission denied (check the folder's permissions)\n")


def test_permission_errors_are_one_line_for_any_command(fixture_project, in_dir, monkeypatch):
    # Tests run as root in CI containers, where chmod cannot take a permission away.
    in_dir(fixture_project)

    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(fixture_project / "cases/library/x.yml"))

    monkeypatch.setattr("generator.scaffold.write_schemas", refuse)
    result = run("new", "case", "--id", "late", "--title", "迟到", "--type", "wrong-price")
    assert (result.exit_code, result.stderr) == (
        1, "Error: cannot write cases/library/x.yml: permission denied (check the folder's permissions)\n")


# --- serve ---------------------------------------------------------------------------------------

def test_serve_on_a_port_in_use_is_one_line(fixture_project, in_dir):
    in_dir(fixture_project)
    write(fixture_project, "mkdocs.yml", "site_name: x\n")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run("serve", "--dev-addr", f"127.0.0.1:{port}")
    assert error_of(result) == (
        f"Error: cannot serve on 127.0.0.1:{port}: the port is already in use (is another kesu serve "
        f"running?); choose another address, e.g. kesu serve --dev-addr 127.0.0.1:{port + 1}")


@pytest.mark.parametrize("command", ["serve", "build"])
def test_broken_mkdocs_yml_is_one_line(fixture_project, in_dir, command):
    in_dir(fixture_project)
    write(fixture_project, "mkdocs.yml", "site_name: x\ntheme: [\n")
    prefix = "build failed, site/ was left as it was: " if command == "build" else ""
    assert error_of(run(command)) == (f"Error: {prefix}mkdocs.yml: invalid YAML: while parsing a flow node; "
                                      f"expected the node content, but found '<stream end>' (mkdocs.yml:3)")
