"""The course's bilingual glossary: one Chinese word for each concept, everywhere.

A pack may hold ``glossary.toml`` at its root: a list of terms, each with its English
and Chinese name, a short definition in both languages, and the Chinese variants that
must not appear (``批归一化`` where the course says ``批量规范化``). The Chinese follows
the Chinese edition of Dive into Deep Learning (《动手学深度学习》). ``lmschool glossary``
shows it; ``variants_in`` finds the variants in a text, which the test suite runs over
every Chinese text of the pack (lessons, prompts, hints, quizzes, check messages).

Matching is on prose: code spans and fenced code are left out (``nn.Dropout`` is code),
and a variant that is part of the preferred term itself (``超参`` inside ``超参数``) is
not a variant.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from lmschool.course.model import Text

FILE = "glossary.toml"
_CODE = re.compile(r"```.*?```|`[^`\n]*`", re.S)


class Term(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    en: str = Field(min_length=1)
    zh: str = Field(min_length=1)
    definition: Text
    variants: list[str] = []  # Chinese (or English) spellings the course does not use


class Glossary(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    term: list[Term] = []

    def find(self, query: str) -> list[Term]:
        q = query.strip().lower()
        return [t for t in self.term if q in t.en.lower() or q in t.zh or q in " ".join(t.variants)]


class GlossaryError(ValueError):
    """glossary.toml cannot be read; the message names the file and the problem."""


def load_glossary(pack: Path) -> Glossary:
    path = Path(pack) / FILE
    if not path.exists():
        return Glossary()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return Glossary.model_validate(data)
    except tomllib.TOMLDecodeError as exc:
        raise GlossaryError(f"{path}: {exc}") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise GlossaryError(f"{path}: {where}: {first['msg']}") from None


def prose(text: str) -> str:
    """``text`` without code spans and fenced code blocks."""
    return _CODE.sub(" ", text)


def variants_in(text: str, glossary: Glossary) -> list[tuple[str, str]]:
    """(variant found, preferred term) for every variant in the prose of ``text``."""
    body = prose(text)
    found = []
    for term in glossary.term:
        without = body
        for variant in term.variants:  # "暂退法（dropout）": a variant named beside the term
            beside = rf"{re.escape(term.zh)}\**\s*[（(]{re.escape(variant)}[）)]"
            without = re.sub(beside, "\0", without, flags=re.IGNORECASE)
        without = without.replace(term.zh, "\0")  # the preferred term may contain a variant
        for variant in term.variants:
            flags = re.IGNORECASE if variant.isascii() else 0
            pattern = rf"\b{re.escape(variant)}\b" if variant.isascii() else re.escape(variant)
            if re.search(pattern, without, flags):
                found.append((variant, term.zh))
    return found
