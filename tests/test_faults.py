"""Faults end as one line and leave nothing half-written: names, settings, file system, ports, config."""
from __future__ import annotations

import errno
import re
import os
import socket

import pytest
from click.testing import CliRunner

from conftest import REPO, write
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


@pytest.mark.parametrize("name, readable", [("late.yml.txt", "late.yml"), ("late.yaml.TXT", "late.yaml"),
                                             ("late.yml ", "late.yml")])
def test_a_name_an_editor_changed_is_an_error_not_a_missing_case(fixture_project, name, readable):
    write(fixture_project, f"cases/library/{name}", (fixture_project / CASE).read_bytes())
    assert problems_of(fixture_project) == [
        f"cases/library/{name}:1: file name '{name}' is not read: rename the file to '{readable}'"]


def test_editor_backups_beside_a_source_are_left_alone(fixture_project):
    for name in ("sample-case.yml~", "sample-case.yml.bak", ".sample-case.yml.swp"):
        write(fixture_project, f"cases/library/{name}", (fixture_project / CASE).read_bytes())
    assert sorted(load_project(fixture_project).cases) == ["documented-case", "sample-case"]


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


# --- builds: one at a time, stale folders removed, a complete site/ at every instant ------------

@pytest.fixture
def real_project(tmp_path, in_dir):
    from conftest import copy_real_project

    return in_dir(copy_real_project(tmp_path / "real"))


def test_a_second_build_waits_for_the_first_and_both_succeed(real_project):
    import subprocess
    import sys

    from generator.site import build_lock

    with build_lock(real_project):
        second = subprocess.Popen([sys.executable, "-m", "generator", "build"], cwd=real_project,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                  env={**os.environ, "PYTHONPATH": str(REPO)})
        # The lock is ours: the build says it waits, and has written nothing yet.
        assert second.stderr.readline() == (f"another kesu build (process {os.getpid()}) is running in this "
                                            f"folder; waiting for it to finish\n")
        assert not (real_project / "site").exists()
    out, err = second.communicate(timeout=300)
    assert second.returncode == 0, err
    assert out.startswith("built site/ in ")
    assert (real_project / "site/index.html").is_file()
    assert [p.name for p in real_project.iterdir() if p.name.startswith("site")] == ["site"]


def test_concurrent_builds_in_one_process_tree_all_succeed(real_project):
    import subprocess
    import sys

    builds = [subprocess.Popen([sys.executable, "-m", "generator", "build"], cwd=real_project,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONPATH": str(REPO)}) for _ in range(2)]
    results = [build.communicate(timeout=300) + (build.returncode,) for build in builds]
    assert [code for _, _, code in results] == [0, 0], results
    assert (real_project / "site/cases/index.html").is_file()
    assert [p.name for p in real_project.iterdir() if p.name.startswith("site")] == ["site"]


def test_stale_build_folders_of_dead_processes_are_removed(real_project):
    from generator.site import build_site

    dead = 2 ** 31 - 2  # above Linux's highest process id: no such process
    write(real_project, f"site.building-{dead}-x1y2z3/index.html", "half a build")
    write(real_project, "site.building-k3j2h1/index.html", "an older kesu's half build")
    alive = write(real_project, f"site.building-{os.getppid()}-a1b2c3/index.html", "a build in progress")
    assert run("generate").exit_code == 0
    build_site(real_project)
    names = sorted(p.name for p in real_project.iterdir() if p.name.startswith("site"))
    assert names == ["site", alive.parent.name]


def test_a_kill_between_the_two_renames_is_repaired_by_the_next_build(real_project, monkeypatch):
    from generator import site as site_module

    assert run("build").exit_code == 0
    write(real_project, "site/marker.txt", "first build")
    monkeypatch.setattr(site_module, "exchange", lambda a, b: False)  # a system without RENAME_EXCHANGE
    real_replace = os.replace

    def killed_after_first_rename(source, target):
        real_replace(source, target)
        if str(target).endswith(f"site.old-{os.getpid()}"):
            raise KeyboardInterrupt  # the process dies here: site/ has been moved away

    monkeypatch.setattr(site_module.os, "replace", killed_after_first_rename)
    with pytest.raises(KeyboardInterrupt):
        site_module.swap_into_place(site_module.make_staging_folder(real_project), real_project / "site")
    monkeypatch.setattr(site_module.os, "replace", real_replace)
    assert not (real_project / "site").exists()
    monkeypatch.setattr(site_module, "_owner_alive", lambda folder: False)  # as seen by the next process
    site_module.remove_stale_build_folders(real_project)
    assert (real_project / "site/marker.txt").read_text() == "first build"
    assert [p.name for p in real_project.iterdir() if p.name.startswith("site")] == ["site"]


def test_the_swap_exchanges_site_in_one_step(tmp_path):
    from generator.site import exchange, swap_into_place

    write(tmp_path, "a/index.html", "a")
    write(tmp_path, "b/index.html", "b")
    assert exchange(tmp_path / "a", tmp_path / "b")  # Linux's renameat2(RENAME_EXCHANGE)
    assert (tmp_path / "a/index.html").read_text() == "b"
    write(tmp_path, "site.building-1-x/index.html", "new")
    swap_into_place(tmp_path / "site.building-1-x", tmp_path / "a")
    assert (tmp_path / "a/index.html").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b"]


# --- a check that passes means generate passes ---------------------------------------------------

def test_a_quiz_question_with_eight_options_passes_check_and_generate(fixture_project, in_dir):
    in_dir(fixture_project)
    path = fixture_project / "cases/modules/basics.yml"
    extra = "".join(f"      - text: 选项{i}\n" for i in range(5))
    path.write_text(path.read_text(encoding="utf-8").replace("      - text: 请顾客下次注意\n",
                                                             "      - text: 请顾客下次注意\n" + extra), encoding="utf-8")
    assert run("check").exit_code == 0
    assert run("generate").exit_code == 0
    assert "H. 选项4" in (fixture_project / "docs/learn/basics.md").read_text(encoding="utf-8")


def test_a_template_failure_is_one_problem_in_check_and_generate(fixture_project, in_dir, monkeypatch):
    in_dir(fixture_project)

    def broken(outputs):
        raise KeyError("letters")

    monkeypatch.setattr("generator.site.render_outputs", broken)
    for command in ("check", "generate"):
        result = run(command)
        assert result.exit_code == 1
        assert result.stderr.splitlines() == [
            "cases/:1: the pages could not be generated (KeyError: 'letters'); the sources pass every check, so "
            "please report this", "1 problem(s) found; nothing was written."]


def mounted_docs(root, options: str):
    """docs/ on a tmpfs of its own with the given mount options; skips where mounting is not allowed."""
    import subprocess

    docs = root / "docs"
    docs.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(docs)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("mounting a file system needs root: " + mounted.stderr.decode(errors="replace").strip())
    try:
        yield docs
    finally:
        subprocess.run(["umount", str(docs)], check=True)


@pytest.fixture
def tiny_docs(fixture_project):
    """docs/ on a 16 KiB file system: the generated pages (about 50 KiB) do not fit."""
    yield from mounted_docs(fixture_project, "size=16k")


@pytest.fixture
def read_only_docs(fixture_project):
    """docs/ that nobody may write, root included (permission bits do not stop root)."""
    yield from mounted_docs(fixture_project, "ro,size=16k")


def test_a_read_only_docs_folder_is_one_line(fixture_project, read_only_docs, in_dir):
    in_dir(fixture_project)
    line = error_of(run("generate"))
    assert re.fullmatch(r"Error: cannot write docs/\S+: read-only file system", line), line


def test_a_really_full_disk_is_one_line_and_leaves_no_partial_file(fixture_project, tiny_docs, in_dir):
    in_dir(fixture_project)
    result = run("generate")
    line = error_of(result)
    assert re.fullmatch(r"Error: cannot write docs/\S+\.md: no space left on device \(free some space and run "
                        r"again\)", line), line
    written = [p for p in tiny_docs.rglob("*") if p.is_file()]
    assert written and not [p for p in written if p.name.startswith(".")]
    pages = {p.relative_to(tiny_docs).as_posix(): p.read_text(encoding="utf-8") for p in written}
    assert all(text.endswith("\n") for text in pages.values())  # every page that is there is whole


@pytest.mark.parametrize("address, message", [
    ("foo", "Error: --dev-addr: Must be a string of format 'IP:PORT'"),
    ("127.0.0.1:80a", "Error: --dev-addr: '80a' is not a valid port"),
    ("127.0.0.1:99999", "Error: cannot serve on 127.0.0.1:99999: a port is a number from 1 to 65535; choose another "
                        "address, e.g. kesu serve --dev-addr 127.0.0.1:8000"),
])
def test_serve_on_an_impossible_address_is_one_line(fixture_project, in_dir, address, message):
    in_dir(fixture_project)
    write(fixture_project, "mkdocs.yml", "site_name: x\n")
    assert error_of(run("serve", "--dev-addr", address)) == message


def test_aside_files_of_killed_writers_are_removed_and_live_ones_kept(fixture_project, in_dir):
    in_dir(fixture_project)
    dead = write(fixture_project, f"docs/cases/.sample-case.md.{2 ** 31 - 2}-0123abcd.tmp", "half a page")
    live = write(fixture_project, f"docs/cases/.sample-case.md.{os.getppid()}-0123abcd.tmp", "being written")
    assert run("generate").exit_code == 0
    assert not dead.exists()
    assert live.exists()


def test_a_build_killed_with_sigkill_is_cleaned_up_by_the_next(real_project):
    import signal
    import subprocess
    import sys
    import time

    assert run("build").exit_code == 0
    write(real_project, "site/marker.txt", "first build")
    victim = subprocess.Popen([sys.executable, "-m", "generator", "build"], cwd=real_project,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env={**os.environ, "PYTHONPATH": str(REPO)})
    deadline = time.monotonic() + 120
    while not list(real_project.glob(f"site.building-{victim.pid}-*/assets")):  # MkDocs is writing
        assert victim.poll() is None and time.monotonic() < deadline, "the build ended before it could be killed"
        time.sleep(0.05)  # polling interval; the condition above decides
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    assert list(real_project.glob(f"site.building-{victim.pid}-*"))
    assert (real_project / "site/marker.txt").read_text() == "first build"  # untouched by the killed build
    assert run("build").exit_code == 0
    assert [p.name for p in real_project.iterdir() if p.name.startswith("site")] == ["site"]
    assert not (real_project / "site/marker.txt").exists()


CORPUS = REPO / "tests/corpus"
CORPUS_ROWS = [line.split("\t") for line in (CORPUS / "expected.tsv").read_text(encoding="utf-8").splitlines()
               if line and not line.startswith("#")]


@pytest.mark.parametrize("name, line, message", CORPUS_ROWS, ids=[row[0] for row in CORPUS_ROWS])
def test_kesu_check_prints_each_corpus_file_as_one_line_and_exits_1(fixture_project, in_dir, name, line, message):
    in_dir(fixture_project)
    write(fixture_project, f"cases/library/{name}", (CORPUS / name).read_bytes())
    result = run("check")
    assert (result.exit_code, result.stdout) == (1, "")
    assert [row for row in result.stderr.splitlines() if ": warning: " not in row] == [
        f"cases/library/{name}:{line}: {message}", "1 problem(s) found; nothing was written."]


def test_sources_outside_the_kind_folders_are_reported(fixture_project):
    source = (fixture_project / CASE).read_bytes()
    write(fixture_project, "cases/librar/late.yml", source)
    write(fixture_project, "cases/late.yml", source)
    write(fixture_project, "cases/schema/extra.yml", "not a source")
    warnings = [str(w) for w in load_project(fixture_project).warnings if "late.yml" in w.path or "librar/" in w.path]
    assert warnings == [
        "cases/late.yml:1: warning: not read: a case goes in cases/library/, a type in cases/types/, a procedure in "
        "cases/procedures/, a module in cases/modules/",
        "cases/librar/:1: warning: folder is not read: sources go in cases/types/, cases/procedures/, "
        "cases/library/, cases/modules/, cases/roleplays/; did you mean 'library'?"]


def test_a_current_folder_deleted_meanwhile_is_one_line(tmp_path, monkeypatch):
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    result = run("check")
    assert (result.exit_code, result.stderr) == (
        1, "Error: the current folder no longer exists: cd into the project folder again\n")


def test_a_file_named_site_is_replaced_by_the_site_folder(tmp_path):
    from generator.site import swap_into_place

    write(tmp_path, "site", "not a folder")
    write(tmp_path, "site.building-1-x/index.html", "new")
    swap_into_place(tmp_path / "site.building-1-x", tmp_path / "site")
    assert (tmp_path / "site/index.html").read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["site"]
