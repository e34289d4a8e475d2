"""Docs that cannot rot: settings, CLI pages and interface strings are checked against the code."""

from __future__ import annotations

import re
import string
import subprocess
import sys

from lmschool.config import Settings
from lmschool.i18n import LANGS, MESSAGES
from tests.conftest import ROOT

DOCS = ROOT / "docs"


def test_every_setting_is_documented_in_architecture_md() -> None:
    text = (DOCS / "architecture.md").read_text(encoding="utf-8")
    missing = [
        f"LMSCHOOL_{name.upper()}"
        for name in Settings.model_fields
        if f"`LMSCHOOL_{name.upper()}`" not in text
    ]
    assert not missing, f"document these settings in docs/architecture.md: {missing}"


def test_cli_page_is_current() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "lmschool.cli.docs", "--check"], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr


def test_every_error_kind_is_documented_in_grading_md() -> None:
    from lmschool.grading.result import ERROR_KINDS

    text = (DOCS / "grading.md").read_text(encoding="utf-8")
    assert all(f"`{kind}`" in text for kind in ERROR_KINDS)


def test_every_result_field_is_documented_in_grading_md() -> None:
    from lmschool.grading.result import Result

    text = (DOCS / "grading.md").read_text(encoding="utf-8")
    assert all(f"| `{name}` |" in text for name in Result.model_fields)


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_interface_message_has_both_languages_with_the_same_placeholders() -> None:
    import lmschool.cli.text  # noqa: F401  (registers the CLI's strings)

    for key, texts in MESSAGES.items():
        assert set(texts) == set(LANGS), key
        assert all(texts[lang].strip() for lang in LANGS), key
        assert _fields(texts["en"]) == _fields(texts["zh"]), key
        assert texts["en"] != texts["zh"] or re.fullmatch(r"[\w ./-]+", texts["en"]), key


def test_help_texts_exist_in_both_languages() -> None:
    from lmschool.cli.text import _HELP

    for key, texts in _HELP.items():
        assert set(texts) == set(LANGS) and all(texts[lang].strip() for lang in LANGS), key


def test_readme_documents_the_two_setup_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make run" in readme and "make test" in readme
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci and "bubblewrap" in ci


def test_docs_link_to_existing_files() -> None:
    for doc in [ROOT / "README.md", *DOCS.glob("*.md")]:
        for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", doc.read_text(encoding="utf-8")):
            assert (doc.parent / target).exists(), f"{doc.name} links to missing {target}"
