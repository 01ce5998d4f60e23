"""The `kesu` command line. Works on the project in the current directory."""
from __future__ import annotations

import logging
import re
import time
from datetime import date
from pathlib import Path
from typing import Callable

import click

from .characters import visible
from .files import describe_os_error
from .load import Project, load_project
from .model import CATEGORY, CHANNEL, INDUSTRY, SEVERITY, ClosedList
from .problems import SourceErrors
from .settings import REVIEW_DAYS_VARIABLE, Settings, SettingError, parse_review_days


class KesuGroup(click.Group):
    """Every fault ends as one `Error: ...` line: file system errors and settings included, and
    text echoed from the user is escaped (an escape sequence must not clear the terminal)."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except SourceErrorsException:
            raise
        except click.ClickException as error:
            error.message = visible(error.message)
            raise
        except SettingError as error:
            raise click.ClickException(str(error)) from None
        except OSError as error:
            raise click.ClickException(describe_os_error(error, _current_folder())) from None


def _current_folder() -> Path | None:
    try:
        return Path.cwd()
    except OSError:  # deleted while the shell was in it
        return None


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
    root = _current_folder()
    if root is None:
        raise click.ClickException("the current folder no longer exists: cd into the project folder again")
    if not (root / "cases").is_dir():
        raise click.ClickException(f"no cases/ folder in {root}: run kesu from the project folder")
    return root


def load_or_fail(root: Path, settings: Settings) -> Project:
    try:
        return load_project(root, settings)
    except SourceErrors as errors:
        raise SourceErrorsException(errors) from None


def show_warnings(project: Project) -> None:
    for warning in project.warnings:
        click.echo(str(warning), err=True)


def generate_or_fail(root: Path, settings: Settings):
    from .site import generate

    try:
        project, report = generate(root, settings)
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


def _settings(ctx, param, value) -> Settings:
    """The run's Settings, built once here from the options and kesu's environment variables."""
    days = None
    if value is not None:
        from_env = ctx.get_parameter_source(param.name) == click.core.ParameterSource.ENVIRONMENT
        try:
            days = parse_review_days(value, REVIEW_DAYS_VARIABLE if from_env else "--review-days")
        except SettingError as error:
            raise click.ClickException(str(error)) from None
    return Settings.from_environment(review_days=days)


review_days_option = click.option(
    "--review-days", "settings", metavar="DAYS", envvar=REVIEW_DAYS_VARIABLE, callback=_settings,
    help="Warn when a type or case was last reviewed more than this many days ago "
                             "(default 365; env KESU_REVIEW_DAYS).")


def _check_engine(ctx, param, value: str) -> str:
    from .engines import UnknownEngine, get_engine

    try:
        get_engine(value)
    except UnknownEngine as error:
        raise click.ClickException(str(error)) from None
    return value


engine_option = click.option(
    "--engine", default="mkdocs", show_default=True, metavar="NAME", callback=_check_engine,
    help="The site engine: mkdocs (MkDocs with Material) or zensical.")


def edition_option(help_text: str):
    return click.option("--edition", type=click.Choice(["zh-Hans", "zh-Hant"]), default="zh-Hans", show_default=True,
                        help=help_text)


def check_edition_engine(edition: str, engine: str) -> None:
    """--edition zh-Hant with --engine zensical: one line before anything is generated."""
    from .edition_build import EditionEngineUnsupported, check_edition_engine as check

    try:
        check(edition, engine)
    except EditionEngineUnsupported as error:
        raise click.ClickException(str(error)) from None


@click.group(cls=KesuGroup)
@click.version_option(package_name="kesu")
def main() -> None:
    """kesu: build the 客诉知识库 training site from the YAML sources under cases/.

    Run it in the project folder (the one with cases/ and mkdocs.yml).
    """


@main.command()
@review_days_option
def check(settings: Settings) -> None:
    """Validate every file under cases/; exit 1 with one line per problem.

    Example: kesu check --review-days 180
    """
    from .site import rendered_pages

    project = load_or_fail(project_root(), settings)
    try:
        rendered_pages(project, settings)
    except SourceErrors as errors:
        raise SourceErrorsException(errors) from None
    show_warnings(project)
    click.echo(f"ok: {len(project.types)} types, {len(project.procedures)} procedures, "
               f"{len(project.cases)} cases, {len(project.modules)} modules")


@main.command()
def generate() -> None:
    """Write the Markdown pages into docs/types, docs/procedures and docs/cases.

    Use it to preview with another tool that reads mkdocs.yml; kesu build and kesu serve
    generate by themselves.

    Example: kesu generate
    """
    from .site import build_lock

    root = project_root()
    with build_lock(root, waiting=lambda message: click.echo(message, err=True)):
        _, report = generate_or_fail(root, Settings.from_environment())
    click.echo(f"generated: {report.written} written, {report.unchanged} unchanged, {report.removed} removed")


@main.command()
@review_days_option
@engine_option
@click.option("--strict", is_flag=True, help="Treat the engine's warnings (e.g. broken links) as errors.")
@click.option("--offline", is_flag=True, help="Link to index.html files, so that site/ opens from the file "
                                              "system (file://) without a web server, search included.")
@click.option("-v", "--verbose", is_flag=True, help="Show MkDocs' debug output.")
@edition_option("zh-Hant: the Traditional edition into site/zh-Hant/ (region: cases/editions/zh-Hant.yml).")
def build(settings: Settings, engine: str, strict: bool, offline: bool, verbose: bool, edition: str) -> None:
    """Validate, generate and build the site into site/.

    A failed validation or build leaves any previous site/ untouched.

    \b
    Example: kesu build --strict
    Example: kesu build --offline   (then open site/index.html in a browser)
    Example: kesu build --engine zensical
    Example: kesu build --edition zh-Hant   (into site/zh-Hant/; make site builds both)
    """
    from .edition_build import build_any_edition
    from .site import BuildFailed, build_lock

    check_edition_engine(edition, engine)
    root = project_root()
    started = time.perf_counter()
    with build_lock(root, waiting=lambda message: click.echo(message, err=True)):
        generate_or_fail(root, settings)
        setup_mkdocs_logging(verbose)
        try:
            site = build_any_edition(root, edition, strict=strict, offline=offline, engine=engine)
        except BuildFailed as error:
            raise click.ClickException(f"build failed, site/ was left as it was: {error}") from None
    click.echo(f"built {site.relative_to(root)}/ in {time.perf_counter() - started:.1f} s")


def parse_address(value: str) -> tuple[str, int]:
    """IP:PORT (or localhost:PORT, [IPv6]:PORT) as MkDocs reads its dev_addr."""
    import ipaddress

    if ":" not in value:
        raise click.ClickException("--dev-addr: Must be a string of format 'IP:PORT'")
    host, port = value.rsplit(":", 1)
    if host != "localhost":
        try:
            host = str(ipaddress.ip_address(host[1:-1] if host.startswith("[") and host.endswith("]") else host))
        except ValueError as error:
            raise click.ClickException(f"--dev-addr: {error}") from None
    try:
        return host, int(port)
    except ValueError:
        raise click.ClickException(f"--dev-addr: '{port}' is not a valid port") from None


@main.command()
@review_days_option
@engine_option
@click.option("-a", "--dev-addr", default="127.0.0.1:8000", show_default=True, metavar="IP:PORT",
              help="Address to serve on.")
@edition_option("zh-Hant: serve the Traditional edition at /zh-Hant/ (region: cases/editions/zh-Hant.yml).")
def serve(settings: Settings, engine: str, dev_addr: str, edition: str) -> None:
    """Generate and serve the site with live reload.

    Any change under cases/ or docs/ rebuilds the changed pages and reloads the browser. An
    invalid edit prints its problems here and the last good site keeps being served. A change
    of mkdocs.yml, of the theme's templates or of a title in the navigation rebuilds every page.

    \b
    Example: kesu serve --dev-addr 127.0.0.1:8001
    Example: kesu serve --engine zensical
    Example: kesu serve --edition zh-Hant   (http://127.0.0.1:8000/zh-Hant/)
    """
    from .edition import SIMPLIFIED
    from .engines import get_engine
    from .site import BuildFailed

    check_edition_engine(edition, engine)
    settings = settings.but(engine=engine)
    root = project_root()
    host, port = parse_address(dev_addr)
    generate_or_fail(root, settings)
    setup_mkdocs_logging(False)
    try:
        if edition == SIMPLIFIED:
            get_engine(engine).serve(root, host, port, settings)
        else:
            serve_traditional(root, host, port, settings)
    except SourceErrors as errors:
        raise SourceErrorsException(errors) from None
    except BuildFailed as error:
        raise click.ClickException(str(error)) from None


class LabelChoice(click.Choice):
    """A closed list's value named by its label (电话), an alias (网络) or its id (phone); the scaffold gets
    the label, as sources are written. Anything else gets click's message, which lists the labels."""

    def __init__(self, values: ClosedList):
        super().__init__(values.labels)
        self.values = values

    def convert(self, value, param, ctx):
        choice = self.values.lookup(value) if isinstance(value, str) else None
        return super().convert(choice.label if choice else value, param, ctx)


def serve_traditional(root: Path, host: str, port: int, settings: Settings) -> None:
    from .edition import traditional_edition
    from .edition_build import serve_edition

    serve_edition(root, traditional_edition(root), host, port, settings)


@main.group()
def new() -> None:
    """Start a new source file from a commented scaffold."""


@new.command("case")
@click.option("--id", "id_", metavar="ID", help="File name without .yml (default: case-YYYYMMDD, made unique).")
@click.option("--title", help="Case title. Without it, every field is asked for interactively.")
@click.option("--industry", type=LabelChoice(INDUSTRY), help="Industry.")
@click.option("--type", "types", multiple=True, metavar="TYPE_ID", help="Complaint type id; repeat for several.")
@click.option("--channel", type=LabelChoice(CHANNEL), help="Channel.")
@click.option("--severity", type=LabelChoice(SEVERITY), help="Severity level.")
def new_case(id_, title, industry, types, channel, severity) -> None:
    """Write cases/library/<id>.yml with every field explained, and print its path.

    A complaint type is named by its id or its Chinese name (--type 收银差错).

    Example: kesu new case --id late-refund --title 退款迟迟不到账 --type refund-return --channel 电话
    """
    from .scaffold import ScaffoldError, TypeChoice, free_id, one_line_text, type_names, write_scaffold

    root = project_root()
    choice = TypeChoice(type_names(root))
    known = sorted(choice.names)
    try:
        if title is None:  # interactive: ask for everything not given as a flag
            title = click.prompt("案例标题 (title)", value_proc=_asking(lambda text: one_line_text(text, "title")))
            id_ = id_ or click.prompt(
                "文件名，也是网址 /cases/<id>/ (id)", default=free_id(root / "cases/library", "case", date.today()),
                value_proc=_asking(lambda text: _checked_id("library", text.strip())))
            industry = industry or click.prompt("行业 (industry)", type=LabelChoice(INDUSTRY), default="通用")
            click.echo("已有的投诉类型: " + "，".join(map(choice.label, known)))
            types = types or tuple(click.prompt("投诉类型，写编号或中文名称，多个用逗号分隔 (types)",
                                                value_proc=_asking(lambda text: _ask_types(text, choice))))
            channel = channel or click.prompt("渠道 (channel)", type=LabelChoice(CHANNEL), default="电话")
            severity = severity or click.prompt("级别 (severity)", type=LabelChoice(SEVERITY), default="一般")
        title = one_line_text(title, "--title")
        types = [choice.resolve(word) for word in types]
        if not types and not known:
            raise click.ClickException("no complaint types in cases/types/: create one first with kesu new type")
        path = write_scaffold(root, "library", "new_case.yml.j2", id_, "case", title=title,
                              industry=industry or "通用", types=list(types) or known[:1],
                              channel=channel or "电话", severity=severity or "一般")
    except ScaffoldError as error:
        raise click.ClickException(str(error)) from None
    click.echo(path.relative_to(root).as_posix())
    if not types:
        click.echo(f"note: types was set to '{known[0]}' for now; change it to the right type", err=True)


def _asking(check: Callable[[str], object]) -> Callable[[str], object]:
    """A prompt's value_proc: a ScaffoldError asks again with its message."""
    from .scaffold import ScaffoldError

    def value_proc(text: str):
        try:
            return check(text)
        except ScaffoldError as error:
            raise click.BadParameter(str(error)) from None
    return value_proc


def _checked_id(kind: str, id_: str) -> str:
    from .scaffold import ScaffoldError, check_id

    check_id(kind, id_)
    if any((Path.cwd() / "cases" / kind / f"{id_}{suffix}").exists() for suffix in (".yml", ".yaml")):
        raise ScaffoldError(f"cases/{kind}/{id_}.yml already exists: choose another id")
    return id_


def _ask_types(text: str, choice) -> list[str]:
    """Type ids from what was typed: ids, names, or part of a name confirmed by the user."""
    from .scaffold import ScaffoldError

    words = [part.strip() for part in re.split(r"[,，、]", text) if part.strip()]
    if not words:
        raise ScaffoldError("name at least one type")
    ids = []
    for word in words:
        found = choice.candidates(word)
        if len(found) != 1:
            raise ScaffoldError(choice.unknown_message(word))
        if word not in (found[0], choice.names[found[0]]) and \
                not click.confirm(f"'{word}' 是指 {choice.label(found[0])} 吗？", default=True):
            raise ScaffoldError(f"type '{word}' again, as its id or full name")
        ids.append(found[0])
    return ids


@new.command("type")
@click.option("--id", "id_", metavar="ID", help="File name without .yml (default: type-YYYYMMDD, made unique).")
@click.option("--name", help="Type name. Without it, name and category are asked for interactively.")
@click.option("--category", type=LabelChoice(CATEGORY), help="Category.")
def new_type(id_, name, category) -> None:
    """Write cases/types/<id>.yml with every field explained, and print its path.

    Example: kesu new type --id gift-card --name 购物卡使用问题 --category 服务
    """
    from .scaffold import ScaffoldError, write_scaffold

    from .scaffold import one_line_text

    root = project_root()
    if name is None:
        name = click.prompt("类型名称 (name)", value_proc=_asking(lambda text: one_line_text(text, "name")))
        category = category or click.prompt("分类 (category)", type=LabelChoice(CATEGORY), default="服务")
    try:
        name = one_line_text(name, "--name")
        path = write_scaffold(root, "types", "new_type.yml.j2", id_, "type", name=name, category=category or "服务")
    except ScaffoldError as error:
        raise click.ClickException(str(error)) from None
    click.echo(path.relative_to(root).as_posix())


@main.command()
def clean() -> None:
    """Remove what kesu generated: the pages and assets in docs/ and the built site/.

    Sources under cases/ and hand-written pages are never touched.

    Example: kesu clean
    """
    from .site import build_lock, remove_generated

    root = project_root()
    with build_lock(root, waiting=lambda message: click.echo(message, err=True)):
        removed = remove_generated(root)
    click.echo(f"removed {len(removed)}: " + (" ".join(removed) if removed else "nothing was generated"))


@main.command()
def schema() -> None:
    """Write a JSON Schema per YAML kind into cases/schema/, for editor completion and checks.

    Scaffolds point to them with a `# yaml-language-server: $schema=...` line (VS Code's YAML
    extension reads it).

    Example: kesu schema
    """
    from .scaffold import write_schemas

    root = project_root()
    for path in write_schemas(root):
        click.echo(path.relative_to(root).as_posix())
