"""Settings, read from ``LMSCHOOL_*`` environment variables (pydantic-settings).

| variable | default | meaning |
|---|---|---|
| LMSCHOOL_HOME | the user's data folder (platformdirs) | where the database and workspace live |
| LMSCHOOL_DATABASE_URL | sqlite:///$LMSCHOOL_HOME/lmschool.db | any SQLAlchemy URL (PostgreSQL later) |
| LMSCHOOL_WORKSPACE | $LMSCHOOL_HOME/workspace | where `lmschool start` writes starter files |
| LMSCHOOL_COURSE_PATH | (none) | extra course packs, separated by the OS path separator |
| LMSCHOOL_DATA_DIR | (none) | an offline folder of data sets, used before any download |
| LMSCHOOL_LEARNER | the OS user name | the local learner's name |
| LMSCHOOL_LANG | from the locale | interface language, en or zh |
| LMSCHOOL_SOLUTION_AFTER | 3 | failed attempts after which `lmschool solution` unlocks |
| LMSCHOOL_SANDBOX | auto | auto, bwrap or none (none: rlimits only, NOT isolated) |

A test checks that every field here is documented in docs/architecture.md.
"""

from __future__ import annotations

import getpass
import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

import platformdirs
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_home() -> Path:
    return Path(platformdirs.user_data_dir("lmschool", appauthor=False))


def _default_learner() -> str:
    try:
        return getpass.getuser() or "learner"
    except (KeyError, OSError):
        return "learner"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LMSCHOOL_", extra="ignore")

    home: Path = Field(default_factory=_default_home)
    database_url: str | None = None
    workspace: Path | None = None
    course_path: str = ""
    data_dir: Path | None = None
    learner: str = Field(default_factory=_default_learner)
    lang: Literal["en", "zh"] | None = None
    solution_after: int = Field(default=3, ge=0)
    sandbox: Literal["auto", "bwrap", "none"] = "auto"

    @field_validator("home", "workspace", "data_dir", mode="after")
    @classmethod
    def _expand(cls, value: Path | None) -> Path | None:
        if value is None:
            return None
        value = value.expanduser().resolve()
        if value.exists() and not value.is_dir():
            raise ValueError(f"{value} is a file; this must be a folder (or a path to create)")
        return value

    @field_validator("lang", mode="before")
    @classmethod
    def _lang(cls, value: object) -> object:
        """en, zh, or a locale naming one of them (zh_CN.UTF-8, en-GB); empty is unset."""
        if not isinstance(value, str):
            return value
        text = value.strip().lower()
        if not text:
            return None
        for lang in ("en", "zh"):
            if text == lang or text.startswith((f"{lang}_", f"{lang}-", f"{lang}.")):
                return lang
        raise ValueError(
            f"'{value}' is not a language lmschool speaks: use en or zh "
            "(locale forms such as zh_CN.UTF-8 work too)"
        )

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{self.home / 'lmschool.db'}"

    @property
    def workspace_dir(self) -> Path:
        return self.workspace or self.home / "workspace"

    @property
    def course_paths(self) -> list[Path]:
        return [
            Path(p).expanduser().resolve() for p in self.course_path.split(os.pathsep) if p.strip()
        ]


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
