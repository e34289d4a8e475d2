"""One Chinese vocabulary: every zh text of the bundled course uses the glossary's terms."""

from __future__ import annotations

import io
import re
import tokenize
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lmschool.cli import app
from lmschool.course.glossary import Glossary, Term, load_glossary, variants_in
from lmschool.course.loader import bundled_pack_path

PACK = bundled_pack_path()
GLOSSARY = load_glossary(PACK)
CJK = re.compile(r"[\u4e00-\u9fff]")


def _zh_values(data: object) -> Iterator[str]:
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "zh":
                yield from (
                    [value] if isinstance(value, str) else [v for v in value if isinstance(v, str)]
                )
            else:
                yield from _zh_values(value)
    elif isinstance(data, list):
        for value in data:
            yield from _zh_values(value)


def zh_texts() -> Iterator[tuple[str, str]]:
    """(where, text) for every Chinese text: lessons, TOML zh fields, zh strings in checks."""
    for path in sorted(PACK.rglob("*.zh.md")):
        yield str(path.relative_to(PACK)), path.read_text(encoding="utf-8")
    for path in sorted(PACK.rglob("*.toml")):
        if path.name in ("glossary.toml", "tracks.toml"):
            continue
        for text in _zh_values(tomllib.loads(path.read_text(encoding="utf-8"))):
            yield str(path.relative_to(PACK)), text
    for path in sorted(PACK.rglob("*.py")):
        for text in re.findall(r'"([^"\n]*)"', path.read_text(encoding="utf-8")):
            if CJK.search(text):
                yield str(path.relative_to(PACK)), text


TEXTS = list(zh_texts())


def test_the_glossary_is_complete_and_consistent() -> None:
    assert len(GLOSSARY.term) >= 40
    zh = [t.zh for t in GLOSSARY.term]
    assert len(zh) == len(set(zh)), "a Chinese term is listed twice"
    for term in GLOSSARY.term:
        assert term.zh not in term.variants
        for other in GLOSSARY.term:  # no term's preferred word is another's variant
            assert other.zh not in term.variants, (term.en, other.zh)


def test_no_chinese_text_uses_a_variant_of_a_glossary_term() -> None:
    assert len(TEXTS) > 1000
    problems = [
        f"{where}: '{v}' (use '{t}')"
        for where, text in TEXTS
        for v, t in variants_in(text, GLOSSARY)
    ]
    assert not problems, "\n".join(problems[:40])


def test_variants_are_matched_on_prose_only() -> None:
    g = Glossary(
        term=[
            Term(
                en="dropout", zh="暂退法", variants=["dropout"], definition={"en": "x", "zh": "x"}
            ),
            Term(
                en="hyperparameter",
                zh="超参数",
                variants=["超参"],
                definition={"en": "x", "zh": "x"},
            ),
        ]
    )
    assert (
        variants_in("使用 `nn.Dropout` 和超参数", g) == []
    )  # code, and the term containing the variant
    assert (
        variants_in("**暂退法**（dropout）以概率 p", g) == []
    )  # the variant named beside the term
    assert variants_in("用了 dropout 的网络和超参", g) == [
        ("dropout", "暂退法"),
        ("超参", "超参数"),
    ]


def test_the_two_pairs_the_review_found_are_settled() -> None:
    joined = "\n".join(text for _, text in TEXTS)
    assert "源文档" not in joined and "泄漏" not in joined


ZH_LESSONS = sorted(PACK.rglob("lesson.zh.md"))
_FENCE = re.compile(r"^```[^\n]*\n.*?^```", re.S | re.M)
_CODE_OR_MATH = re.compile(r"`[^`\n]*`|\$\$.*?\$\$|\$[^$\n]*\$", re.S)
#: Three or more English words in a row: a phrase, not an identifier or a formula.
_ENGLISH_PHRASE = re.compile(r"\b[A-Za-z][a-z]{2,}(?: [a-z]{2,}){2,}\b")


def _python_comments(markdown: str) -> Iterator[str]:
    """The text after ``#`` of every comment in the ```python blocks of a lesson."""
    for match in re.finditer(r"^```python[^\n]*\n(.*?)^```", markdown, re.S | re.M):
        try:
            for tok in tokenize.generate_tokens(io.StringIO(match.group(1)).readline):
                if tok.type == tokenize.COMMENT:
                    yield tok.string[1:]
        except (tokenize.TokenError, SyntaxError):
            continue


@pytest.mark.parametrize("path", ZH_LESSONS, ids=lambda p: str(p.parent.relative_to(PACK)))
def test_chinese_prose_uses_chinese_quotation_marks(path: Path) -> None:
    """Quotations in Chinese prose use “...” (or 「...」), never straight ASCII quotes.

    Code blocks, code spans and math are not prose: a string literal there keeps its quotes.
    """
    prose = _CODE_OR_MATH.sub("", _FENCE.sub("", path.read_text(encoding="utf-8")))
    straight = [line.strip()[:80] for line in prose.splitlines() if re.search(r'"[^"]*"', line)]
    assert not straight, "use Chinese quotation marks “...” in Chinese prose:\n" + "\n".join(
        straight
    )


@pytest.mark.parametrize("path", ZH_LESSONS, ids=lambda p: str(p.parent.relative_to(PACK)))
def test_code_comments_of_chinese_lessons_are_chinese(path: Path) -> None:
    """A comment in a code block of lesson.zh.md that is an English phrase is untranslated.

    Comments that hold printed output (aligned with several spaces), code or formulas
    (``theta <- theta - alpha * grad J(theta)``) are not phrases and may stay as they are.
    """
    english = [
        comment.strip()
        for comment in _python_comments(path.read_text(encoding="utf-8"))
        if not CJK.search(comment)
        and not comment.startswith("  ")
        and "  " not in comment.strip()
        and _ENGLISH_PHRASE.search(comment)
    ]
    assert not english, "translate these comments of lesson.zh.md:\n" + "\n".join(english)


@pytest.mark.parametrize(
    "args, expected", [([], "批量规范化"), (["dropout"], "暂退法"), (["池化"], "汇聚")]
)
def test_glossary_command(args: list[str], expected: str) -> None:
    result = CliRunner().invoke(app, ["glossary", *args, "--lang", "zh"])
    assert result.exit_code == 0, result.output
    assert expected in result.output


def test_glossary_command_says_when_nothing_matches() -> None:
    result = CliRunner().invoke(app, ["glossary", "no-such-term", "--lang", "en"])
    assert result.exit_code == 1 and "no-such-term" in result.output


def test_a_broken_glossary_file_names_file_and_field(tmp_path: Path) -> None:
    (tmp_path / "glossary.toml").write_text('[[term]]\nen = "x"\nzh = 3\n')
    from lmschool.course.glossary import GlossaryError

    with pytest.raises(GlossaryError, match=r"glossary.toml: term.0.zh"):
        load_glossary(tmp_path)
