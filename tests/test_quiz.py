"""Quiz variants per learner seed, and grading of typed answers."""

from __future__ import annotations

import json
import re
import string
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lmschool.course import load_course
from lmschool.course.model import QuizExercise
from lmschool.course.quiz import (
    QUIZ_MESSAGES,
    GeneratorError,
    grade_answer,
    make_variant,
    parse_choices,
    parse_number,
)
from lmschool.grading.result import Result
from lmschool.i18n import LANGS, Msg

TESTPACK = Path(__file__).parent / "packs" / "basics"
seeds = st.integers(min_value=-(2**63), max_value=2**64 - 1)
TEXT = {"en": "x", "zh": "叉"}


@pytest.fixture(scope="module")
def course():
    return load_course(TESTPACK)


@pytest.fixture(scope="module")
def mean_quiz(course):
    return course.exercise("basics/numpy-warmup/mean-quiz")


@pytest.fixture(scope="module")
def gradient_quiz(course):
    return course.exercise("basics/torch-warmup/gradient-quiz")


def quiz(tmp_path: Path, **spec) -> QuizExercise:
    """A quiz exercise in ``tmp_path`` (no generator unless the test writes one)."""
    return QuizExercise(id="m/l/q", title=TEXT, quiz={"question": TEXT, **spec}, dir=tmp_path)


def numbers_in(question: str) -> list[int]:
    return [int(n) for n in re.findall(r"-?\d+", question)]


# --- variants ---------------------------------------------------------------------------------


@settings(max_examples=30, deadline=None)
@given(seed=seeds)
def test_numeric_variant_is_deterministic_and_consistent(mean_quiz, seed):
    variant = make_variant(mean_quiz, seed)
    assert variant == make_variant(mean_quiz, seed)
    values = numbers_in(variant.question["en"])
    assert len(values) == 5
    assert numbers_in(variant.question["zh"]) == values  # same numbers in both languages
    assert variant.answer == pytest.approx(sum(values) / 5)
    assert "{" not in variant.question["en"] + variant.question["zh"]
    assert str(sum(values)) in variant.explanation["en"]


def test_numeric_variants_differ_across_seeds(mean_quiz):
    questions = {make_variant(mean_quiz, seed).question["en"] for seed in range(20)}
    assert len(questions) >= 18


@settings(max_examples=30, deadline=None)
@given(seed=seeds)
def test_choice_variant_is_a_deterministic_shuffle(gradient_quiz, seed):
    variant = make_variant(gradient_quiz, seed)
    assert variant == make_variant(gradient_quiz, seed)
    spec = gradient_quiz.quiz.choices
    assert sorted(c["en"] for c in variant.choices) == sorted(c.en for c in spec)
    [right] = variant.answer
    correct = next(c for c in spec if c.correct)
    assert variant.choices[right] == {"en": correct.en, "zh": correct.zh}


def test_choice_order_differs_across_seeds(gradient_quiz):
    orders = {tuple(c["en"] for c in make_variant(gradient_quiz, s).choices) for s in range(60)}
    assert len(orders) > 10
    positions = {make_variant(gradient_quiz, s).answer[0] for s in range(60)}
    assert positions == {0, 1, 2, 3}


def test_render_letters_the_choices(gradient_quiz):
    text = make_variant(gradient_quiz, 7).render("zh")
    assert text.splitlines()[0] == gradient_quiz.quiz.question["zh"]
    assert [line[:3] for line in text.splitlines()[1:]] == ["A. ", "B. ", "C. ", "D. "]


def test_fixed_answer_quiz_without_generator(tmp_path):
    ex = quiz(tmp_path, type="numeric", answer=2.5, tolerance={"rel": 0, "abs": 0.01})
    variant = make_variant(ex, 1)
    assert variant.answer == 2.5 and variant.choices == [] and variant.params == {}
    assert grade_answer(ex, 1, "2.505")["passed"]
    assert not grade_answer(ex, 1, "2.52")["passed"]


def test_templates_are_left_alone_without_a_generator(tmp_path):
    question = {"en": "Is $x^{2}$ >= 0?", "zh": "$x^{2}$ >= 0 吗？"}
    ex = QuizExercise(
        id="m/l/q",
        title=TEXT,
        quiz={"type": "numeric", "question": question, "answer": 1.0},
        dir=tmp_path,
    )
    assert make_variant(ex, 3).question == question


def test_generator_errors_are_reported_not_raised(tmp_path):
    ex = quiz(tmp_path, type="numeric")
    (tmp_path / "generator.py").write_text("def generate(rng):\n    return 1 / 0\n")
    with pytest.raises(GeneratorError, match="ZeroDivisionError"):
        make_variant(ex, 1)
    result = grade_answer(ex, 1, "3")
    assert result["passed"] is False
    assert result["error"]["kind"] == "internal"
    # the author's traceback goes to the log; the learner gets an incident id
    assert result["incident"] and result["incident"] in result["error"]["message"]["en"]
    assert "generator.py" not in result["error"]["message"]["en"]
    assert result["error"]["message"]["zh"]


def test_generator_must_return_params_and_answer(tmp_path):
    ex = quiz(tmp_path, type="numeric")
    (tmp_path / "generator.py").write_text("def generate(rng):\n    return [1, 2]\n")
    with pytest.raises(GeneratorError, match='"params"'):
        make_variant(ex, 1)
    (tmp_path / "generator.py").write_text(
        "def generate(rng):\n    return {'params': {'n': 1}, 'answer': 'many'}\n"
    )
    with pytest.raises(GeneratorError, match="answer must be a number"):
        make_variant(ex, 1)


# --- grading: numeric -------------------------------------------------------------------------


def test_right_numeric_answer(mean_quiz):
    want = make_variant(mean_quiz, 42).answer
    result = grade_answer(mean_quiz, 42, f"  {want}  ")
    assert result["passed"] is True and result["score"] == 1.0 and result["error"] is None
    [chk] = result["checks"]
    assert chk["passed"] and chk["points"] == chk["max_points"] == 1.0
    assert chk["message"]["en"].startswith("Correct.")
    assert chk["message"]["zh"].startswith("回答正确。")
    assert "divide by 5" in chk["message"]["en"]  # the explanation, once answered right


def test_wrong_numeric_answer(mean_quiz):
    want = make_variant(mean_quiz, 42).answer
    result = grade_answer(mean_quiz, 42, str(want + 1))
    assert result["passed"] is False and result["score"] == 0.0 and result["error"] is None
    [chk] = result["checks"]
    assert not chk["passed"] and chk["points"] == 0.0
    assert f"{want + 1:g}" in chk["message"]["en"] and f"{want + 1:g}" in chk["message"]["zh"]
    assert str(want) not in chk["message"]["en"]  # the answer is not given away
    assert "divide by 5" not in chk["message"]["en"]


@pytest.mark.parametrize(
    ("factor", "passed"), [(1 + 5e-4, True), (1 - 9e-4, True), (1 + 2e-3, False)]
)
def test_numeric_tolerance(tmp_path, factor, passed):
    ex = quiz(tmp_path, type="numeric", answer=1000.0, tolerance={"rel": 1e-3, "abs": 0.0})
    assert grade_answer(ex, 0, str(1000.0 * factor))["passed"] is passed


def test_absolute_tolerance_near_zero(tmp_path):
    ex = quiz(tmp_path, type="numeric", answer=0.0, tolerance={"rel": 1e-3, "abs": 1e-6})
    assert grade_answer(ex, 0, "5e-7")["passed"]
    assert not grade_answer(ex, 0, "2e-6")["passed"]


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("3.5", 3.5),
        ("-2", -2.0),
        ("1e-3", 1e-3),
        ("7/2", 3.5),
        ("+4", 4.0),
        ("３.５", 3.5),
        ("− 1", -1.0),
    ],
)
def test_numbers_are_parsed_leniently(typed, value):
    assert parse_number(typed) == pytest.approx(value)


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("3,5", "quiz.decimal_comma"),
        ("1,000", "quiz.decimal_comma"),
        ("three", "quiz.not_number"),
        ("1/0", "quiz.not_number"),
        ("", "quiz.empty_numeric"),
        ("   ", "quiz.empty_numeric"),
        ("nan", "quiz.not_finite"),
        ("inf", "quiz.not_finite"),
    ],
)
def test_malformed_numbers_get_a_syntax_error(mean_quiz, typed, key):
    message = parse_number(typed)
    assert isinstance(message, Msg) and message.key == key
    result = grade_answer(mean_quiz, 5, typed)
    assert result["passed"] is False and result["score"] == 0.0
    assert result["error"]["kind"] == "syntax"
    assert result["error"]["message"] == message.both()
    assert result["checks"][0]["message"] == message.both()
    for lang in LANGS:
        assert typed.strip() in result["error"]["message"][lang]


# --- grading: choices ------------------------------------------------------------------------


def test_choice_letters_and_numbers(gradient_quiz):
    variant = make_variant(gradient_quiz, 11)
    right = variant.answer[0]
    letter = "ABCD"[right]
    for typed in (letter, letter.lower(), f" {letter} ", str(right + 1), "ＡＢＣＤ"[right]):
        assert grade_answer(gradient_quiz, 11, typed)["passed"], typed
    wrong = "ABCD"[(right + 1) % 4]
    result = grade_answer(gradient_quiz, 11, wrong)
    assert result["passed"] is False and result["error"] is None
    assert wrong in result["checks"][0]["message"]["en"]
    assert wrong in result["checks"][0]["message"]["zh"]


def test_choice_explanation_after_a_right_answer(gradient_quiz):
    variant = make_variant(gradient_quiz, 3)
    result = grade_answer(gradient_quiz, 3, "ABCD"[variant.answer[0]])
    assert gradient_quiz.quiz.explanation["zh"] in result["checks"][0]["message"]["zh"]


@pytest.mark.parametrize(
    ("typed", "key"),
    [("E", "quiz.bad_choice"), ("0", "quiz.bad_choice"), ("AB", "quiz.bad_choice"),
     ("A,B", "quiz.one_choice"), ("", "quiz.empty_choice")],
)  # fmt: skip
def test_malformed_choices_get_a_syntax_error(gradient_quiz, typed, key):
    message = parse_choices(typed, 4, multiple=False)
    assert isinstance(message, Msg) and message.key == key
    result = grade_answer(gradient_quiz, 1, typed)
    assert result["error"]["kind"] == "syntax" and not result["passed"]
    assert result["error"]["message"]["zh"]


def test_multiple_choice_needs_exactly_the_right_set(tmp_path):
    choices = [
        {"en": "one", "zh": "一", "correct": True},
        {"en": "two", "zh": "二"},
        {"en": "three", "zh": "三", "correct": True},
        {"en": "four", "zh": "四"},
    ]
    ex = quiz(tmp_path, type="choice", multiple=True, choices=choices)
    variant = make_variant(ex, 9)
    assert len(variant.answer) == 2 and variant.multiple
    a, b = ("ABCD"[i] for i in variant.answer)
    for typed in (f"{a},{b}", f"{b} {a}", f"{a.lower()}, {b.lower()}", f"{a}、{b}", f"{a};{b};{a}"):
        assert grade_answer(ex, 9, typed)["passed"], typed
    assert not grade_answer(ex, 9, a)["passed"]
    assert not grade_answer(ex, 9, "A,B,C,D")["passed"]


@given(st.sets(st.integers(0, 5), min_size=1))
def test_parse_choices_round_trip(picked):
    letters = ",".join("ABCDEF"[i] for i in sorted(picked))
    numbers = " ".join(str(i + 1) for i in picked)
    assert parse_choices(letters, 6, multiple=True) == sorted(picked)
    assert parse_choices(numbers, 6, multiple=True) == sorted(picked)


# --- the result document ---------------------------------------------------------------------


@pytest.mark.parametrize("answer", ["A", "B", "Z", "", "1"])
def test_result_has_the_graders_shape(gradient_quiz, answer):
    result = grade_answer(gradient_quiz, 123, answer)
    # the code grader's result model accepts it, and it has exactly the same keys
    parsed = Result.model_validate(json.loads(json.dumps(result)))
    assert set(result) == set(Result.model_fields)
    assert parsed.passed == result["passed"] and parsed.score == result["score"]
    assert result["exercise"] == "basics/torch-warmup/gradient-quiz"
    assert result["sandbox"] == {"isolated": True, "backend": "quiz"}
    assert result["seed"] == 123
    assert result["output"] == "" and result["output_truncated"] is False
    assert result["duration_ms"] >= 0


def test_quiz_messages_exist_in_both_languages_with_the_same_placeholders():
    for key, texts in QUIZ_MESSAGES.items():
        assert set(texts) == set(LANGS), key
        fields = [
            {name for _, name, _, _ in string.Formatter().parse(texts[lang]) if name}
            for lang in LANGS
        ]
        assert fields[0] == fields[1], key


def _why(en: str, zh: str) -> dict[str, str]:
    return {"en": en, "zh": zh}


def test_a_wrong_choice_is_told_why_it_is_wrong(tmp_path):
    choices = [
        {"en": "right", "zh": "对", "correct": True},
        {"en": "tempting", "zh": "诱人", "why": _why("It looks right but X.", "看似正确，但 X。")},
        {"en": "plain", "zh": "平常"},
    ]
    ex = quiz(tmp_path, type="choice", choices=choices)
    variant = make_variant(ex, 5)
    tempting = next(i for i, c in enumerate(variant.choices) if c["en"] == "tempting")
    plain = next(i for i, c in enumerate(variant.choices) if c["en"] == "plain")
    message = grade_answer(ex, 5, "ABC"[tempting])["checks"][0]["message"]
    assert f"{'ABC'[tempting]}: It looks right but X." in message["en"]
    assert f"{'ABC'[tempting]}: 看似正确，但 X。" in message["zh"]
    # a wrong choice without a why gets the plain message, and nothing of another's why
    message = grade_answer(ex, 5, "ABC"[plain])["checks"][0]["message"]
    assert "X" not in message["en"] and message["en"].startswith("Not correct")


def test_an_incomplete_multiple_answer_is_told_a_choice_is_missing(tmp_path):
    choices = [
        {"en": "one", "zh": "一", "correct": True},
        {"en": "two", "zh": "二", "why": _why("Two is even.", "二是偶数。")},
        {"en": "three", "zh": "三", "correct": True},
    ]
    ex = quiz(tmp_path, type="choice", multiple=True, choices=choices)
    variant = make_variant(ex, 2)
    first = "ABC"[variant.answer[0]]
    message = grade_answer(ex, 2, first)["checks"][0]["message"]
    assert QUIZ_MESSAGES["quiz.missing_choice"]["en"] in message["en"]
    assert QUIZ_MESSAGES["quiz.missing_choice"]["zh"] in message["zh"]
    assert "Two is even" not in message["en"], "no why for a choice not picked"
    two = "ABC"[next(i for i, c in enumerate(variant.choices) if c["en"] == "two")]
    message = grade_answer(ex, 2, f"{first},{two}")["checks"][0]["message"]
    assert f"{two}: Two is even." in message["en"] and f"{two}: 二是偶数。" in message["zh"]


def test_a_wrong_choice_without_why_is_a_validation_warning(tmp_path):
    import shutil

    from lmschool.course.validate import validate_pack

    def whys_missing(pack: Path) -> list[str]:
        return [i.field for i in validate_pack(pack) if i.field.endswith(".why")]

    assert whys_missing(TESTPACK) == []
    pack = tmp_path / "basics"
    shutil.copytree(TESTPACK, pack)
    toml = next(pack.rglob("gradient-quiz/exercise.toml"))
    text = toml.read_text(encoding="utf-8")
    start = text.index(", why = {", text.index("The best value"))
    end = text.index("} }", start) + 2
    toml.write_text(text[:start] + text[end:], encoding="utf-8")
    issues = [i for i in validate_pack(pack) if i.field.endswith(".why")]
    assert [i.field for i in issues] == ["quiz.choices[1].why"]
    assert issues[0].severity == "warning" and "not correct" in issues[0].message
