"""The settings of one kesu run, built once at an entry point and passed down explicitly.

Entry points are the CLI (options, with their documented environment variables) and the MkDocs
hook (which MkDocs loads as a module of its own: under `mkdocs serve` run directly, and under
`kesu serve`, the environment is all it can be handed). `Settings.from_environment` is the one
place that reads kesu's environment variables; `Settings.environment` is what an entry point
exports for a hook it starts.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Mapping

from .characters import visible

DEFAULT_REVIEW_DAYS = 365
DEFAULT_ENGINE = "mkdocs"
# Documented: the age in days after which a review is reported (same as --review-days).
REVIEW_DAYS_VARIABLE = "KESU_REVIEW_DAYS"
# Internal: set by `kesu serve` for its hook, which then skips generating before the first build.
PAGES_GENERATED_VARIABLE = "KESU_PAGES_GENERATED"
ENGINE_VARIABLE = "KESU_ENGINE"


class SettingError(ValueError):
    """A setting that cannot be used; the message says which and why."""


def parse_review_days(value: str, source: str = REVIEW_DAYS_VARIABLE) -> int:
    # isdecimal() is not enough: '²' and '١' are digits to Unicode but not to int() users.
    text = value.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 6 or int(text) < 1:
        raise SettingError(f"{source} must be a whole number of days such as 365, got {visible(repr(value))}")
    return int(text)


@dataclass(frozen=True)
class Settings:
    """review_days: a review older than this is reported and badged 待复核; today: the date reviews are
    measured from; engine: the site engine of build/serve; pages_generated: the pages in docs/ are
    current (the hook need not generate before MkDocs' first build)."""

    review_days: int = DEFAULT_REVIEW_DAYS
    # Looked up when a Settings is made (not bound once here), so a test can fix the date the CLI uses.
    today: date = field(default_factory=lambda: date.today())
    engine: str = DEFAULT_ENGINE
    pages_generated: bool = False

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None, **given) -> "Settings":
        """Settings from kesu's environment variables; `given` (e.g. CLI options) take precedence."""
        environ = os.environ if environ is None else environ
        found = {name: value for name, value in given.items() if value is not None}
        if "review_days" not in found and (days := environ.get(REVIEW_DAYS_VARIABLE, "")).strip():
            found["review_days"] = parse_review_days(days)
        if "engine" not in found and (engine := environ.get(ENGINE_VARIABLE, "").strip()):
            found["engine"] = engine
        found.setdefault("pages_generated", environ.get(PAGES_GENERATED_VARIABLE) == "1")
        return cls(**found)

    def environment(self) -> dict[str, str]:
        """The variables that hand these settings to a hook or process started with them."""
        return {REVIEW_DAYS_VARIABLE: str(self.review_days), ENGINE_VARIABLE: self.engine,
                PAGES_GENERATED_VARIABLE: "1" if self.pages_generated else "0"}

    def but(self, **changes) -> "Settings":
        return replace(self, **changes)
