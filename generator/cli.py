"""The `kesu` command line. Works on the project in the current directory."""
from __future__ import annotations

import logging
import time
from pathlib import Path

import click

from .load import Project, load_project
from .problems import SourceErrors


class SourceErrorsException(click.ClickException):
    """Prints one line per problem, then a count; exit code 1."""

    def __init__(self, errors: SourceErrors):
        super().__init__(str(errors))
        self.problems = errors.problems

    def show(self, file=None) -> None:
        for problem in self.problems:
            click.echo(str(problem), err=True)
        click.echo(f"{len(self.problems)} problem(s) found; nothing was written.", err=True)


def project_root() -> Path:
    root = Path.cwd()
    if not (root / "cases").is_dir():
        raise click.ClickException(f"no cases/ folder in {root}: run kesu from the project folder")
    return root


def load_or_fail(root: Path) -> Project:
    try:
        return load_project(root)
    except SourceErrors as errors:
        raise SourceErrorsException(errors) from None


def show_warnings(project: Project) -> None:
    for warning in project.warnings:
        click.echo(str(warning), err=True)


def generate_or_fail(root: Path):
    from .site import generate

    try:
        project, report = generate(root)
    except SourceErrors as errors:
        raise SourceErrorsException(errors) from None
    show_warnings(project)
    return project, report


def setup_mkdocs_logging(verbose: bool) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG if verbose else logging.INFO)
    logger.propagate = False


@click.group()
@click.version_option(package_name="kesu")
def main() -> None:
    """kesu: build the 客诉知识库 training site from the YAML sources under cases/.

    Run it in the project folder (the one with cases/ and mkdocs.yml).
    """


@main.command()
def check() -> None:
    """Validate every file under cases/; exit 1 with one line per problem.

    Example: kesu check
    """
    project = load_or_fail(project_root())
    show_warnings(project)
    click.echo(f"ok: {len(project.types)} types, {len(project.procedures)} procedures, "
               f"{len(project.cases)} cases")


@main.command()
def generate() -> None:
    """Write the Markdown pages into docs/types, docs/procedures and docs/cases.

    Use it to preview with another tool that reads mkdocs.yml; kesu build and kesu serve
    generate by themselves.

    Example: kesu generate
    """
    _, report = generate_or_fail(project_root())
    click.echo(f"generated: {report.written} written, {report.unchanged} unchanged, {report.removed} removed")


@main.command()
@click.option("--strict", is_flag=True, help="Treat MkDocs warnings (e.g. broken links) as errors.")
@click.option("-v", "--verbose", is_flag=True, help="Show MkDocs' debug output.")
def build(strict: bool, verbose: bool) -> None:
    """Validate, generate and build the site into site/.

    A failed validation or build leaves any previous site/ untouched.

    Example: kesu build --strict
    """
    from .site import BuildFailed, build_site

    root = project_root()
    started = time.perf_counter()
    generate_or_fail(root)
    setup_mkdocs_logging(verbose)
    try:
        site = build_site(root, strict=strict)
    except BuildFailed as error:
        raise click.ClickException(f"build failed, site/ was left as it was: {error}") from None
    click.echo(f"built {site.relative_to(root)}/ in {time.perf_counter() - started:.1f} s")


@main.command()
@click.option("-a", "--dev-addr", default="127.0.0.1:8000", show_default=True, metavar="IP:PORT",
              help="Address to serve on.")
def serve(dev_addr: str) -> None:
    """Generate and serve the site with live reload.

    Any change under cases/ or docs/ rebuilds the page in the browser. An invalid edit prints
    its problems here and the last good site keeps being served.

    Example: kesu serve --dev-addr 127.0.0.1:8001
    """
    from mkdocs.commands.serve import serve as mkdocs_serve
    from mkdocs.exceptions import MkDocsException

    root = project_root()
    generate_or_fail(root)
    setup_mkdocs_logging(False)
    try:
        # livereload is passed explicitly: with click > 8.2.1 mkdocs' own CLI default is lost.
        mkdocs_serve(config_file=str(root / "mkdocs.yml"), livereload=True, dev_addr=dev_addr)
    except MkDocsException as error:
        raise click.ClickException(str(error)) from None
