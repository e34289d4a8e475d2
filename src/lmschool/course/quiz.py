"""Quiz items: per-learner variants and grading of typed answers.

A variant is deterministic for a seed: ``numpy.random.default_rng(seed)`` feeds the
exercise's ``generate(rng)`` (when it has a generator.py) and then shuffles the choices.
:func:`grade_answer` returns the same result document as the code grader, so the CLI,
the web app and the database treat both kinds of exercise alike. No learner code runs.
"""

from __future__ import annotations

import importlib.util
import logging
import math
import re
import time
import unicodedata
import uuid
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from lmschool.course.model import QuizExercise, Text, Tolerance
from lmschool.i18n import LANGS, Lang, Msg, msg

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

# Learner-facing strings of quiz grading (tests check both languages and placeholders).
QUIZ_MESSAGES: dict[str, dict[str, str]] = {
    "quiz.title": {"en": "Your answer", "zh": "你的答案"},
    "quiz.correct": {"en": "Correct.", "zh": "回答正确。"},
    "quiz.correct_explained": {"en": "Correct. {explanation}", "zh": "回答正确。{explanation}"},
    "quiz.wrong_numeric": {
        "en": "Not correct: {got} is not the expected value (allowed error: relative {rel:g}, absolute {abs:g}). Try again.",
        "zh": "不正确：{got} 不是期望的数值（允许误差：相对 {rel:g}，绝对 {abs:g}）。请再试一次。",
    },
    "quiz.wrong_choice": {
        "en": "Not correct: {got} is not the right answer. Try again.",
        "zh": "不正确：{got} 不是正确答案。请再试一次。",
    },
    "quiz.wrong_multiple": {
        "en": "Not correct: {got} is not exactly the set of right answers. Try again.",
        "zh": "不正确：{got} 与正确答案的集合不完全一致。请再试一次。",
    },
    "quiz.missing_choice": {
        "en": "At least one right choice is missing from your answer.",
        "zh": "你的答案中至少漏掉了一个正确选项。",
    },
    "quiz.empty_numeric": {
        "en": "Your answer is empty: type a number such as 3.5.",
        "zh": "你的答案为空：请输入一个数，例如 3.5。",
    },
    "quiz.empty_choice": {
        "en": "Your answer is empty: type the letter of a choice, such as A.",
        "zh": "你的答案为空：请输入选项的字母，例如 A。",
    },
    "quiz.decimal_comma": {
        "en": "'{got}' contains a comma: write decimals with a dot (3.5, not 3,5) and no thousands separators.",
        "zh": "“{got}”中含有逗号：小数请用小数点（写 3.5，而不是 3,5），也不要用千位分隔符。",
    },
    "quiz.not_number": {
        "en": "'{got}' is not a number: write a number such as 3.5, -2, 1e-3 or 7/2.",
        "zh": "“{got}”不是一个数：请写成 3.5、-2、1e-3 或 7/2 这样的数。",
    },
    "quiz.not_finite": {
        "en": "'{got}' is not a finite number: give a finite value.",
        "zh": "“{got}”不是有限的数：请给出一个有限的数值。",
    },
    "quiz.bad_choice": {
        "en": "'{got}' is not a choice: answer with a letter from A to {last} or a number from 1 to {n}.",
        "zh": "“{got}”不是一个选项：请用 A 到 {last} 的字母或 1 到 {n} 的数字作答。",
    },
    "quiz.one_choice": {
        "en": "This question has exactly one right answer, but you gave {count}: give one letter.",
        "zh": "这道题只有一个正确答案，但你给出了 {count} 个：请只写一个字母。",
    },
}


def quiz_msg(key: str, **kwargs: object) -> Msg:
    return Msg(QUIZ_MESSAGES[key], key, **kwargs)


class GeneratorError(RuntimeError):
    """An exercise's generator.py failed or returned something unusable (an author bug)."""


@dataclass(frozen=True)
class QuizVariant:
    """One learner's version of a quiz.

    ``answer`` is a float for numeric quizzes and, for choice quizzes, the sorted
    0-based positions of the right choices in ``choices`` (already shuffled).
    """

    question: Text
    choices: list[Text]
    answer: float | list[int]
    multiple: bool = False
    tolerance: Tolerance | None = None
    explanation: Text | None = None
    params: dict[str, Any] = field(default_factory=dict)
    whys: list[Text | None] = field(default_factory=list)  # per choice, in shown order

    def answer_text(self) -> str:
        """The right answer as shown to a learner: "B" or "A, C", or the number."""
        if self.choices:
            return ", ".join(LETTERS[i] for i in self.answer)  # type: ignore[union-attr]
        return f"{self.answer:g}"

    def render(self, lang: Lang) -> str:
        """The question and its lettered choices as plain text in ``lang``."""
        lines = [self.question[lang]]
        lines += [f"{LETTERS[i]}. {c[lang]}" for i, c in enumerate(self.choices)]
        return "\n".join(lines)


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed & 0xFFFF_FFFF_FFFF_FFFF)  # negative seeds too


def _run_generator(
    ex: QuizExercise, rng: np.random.Generator
) -> tuple[dict[str, Any], float | None]:
    path = ex.generator_path
    name = "lmschool_quiz_" + re.sub(r"\W", "_", ex.id)
    try:
        spec = importlib.util.spec_from_file_location(name, path)
        if spec is None or spec.loader is None:
            raise GeneratorError(f"{path}: cannot be imported")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        out = module.generate(rng)
    except GeneratorError:
        raise
    except Exception as exc:  # author code: report it, do not crash the caller
        raise GeneratorError(f"{path}: generate(rng) raised {type(exc).__name__}: {exc}") from exc
    if not isinstance(out, dict) or not isinstance(out.get("params", {}), dict):
        raise GeneratorError(
            f'{path}: generate(rng) must return {{"params": {{...}}, "answer": float}}, got {out!r}'
        )
    answer = out.get("answer")
    if answer is not None:
        try:
            answer = float(answer)
        except (TypeError, ValueError):
            raise GeneratorError(f"{path}: answer must be a number, got {answer!r}") from None
    return dict(out.get("params", {})), answer


def _fill(text: Text, params: dict[str, Any], ex: QuizExercise) -> Text:
    if not params:
        return dict(text)
    try:
        return {lang: text[lang].format(**params) for lang in LANGS}
    except (KeyError, IndexError, ValueError) as exc:
        raise GeneratorError(
            f"{ex.generator_path}: params do not fill the template {text['en']!r}: {exc!r}"
        ) from exc


def make_variant(ex: QuizExercise, seed: int) -> QuizVariant:
    """The learner's variant of ``ex`` for ``seed`` (the same seed gives the same variant)."""
    spec = ex.quiz
    rng = _rng(seed)
    params, answer = _run_generator(ex, rng) if ex.has_generator else ({}, None)
    question = _fill(spec.question, params, ex)
    explanation = _fill(spec.explanation, params, ex) if spec.explanation else None
    if spec.type == "numeric":
        value = answer if answer is not None else spec.answer
        if value is None:
            raise GeneratorError(
                f"{ex.dir}: numeric quiz {ex.id} has no answer and its generator returned none"
            )
        return QuizVariant(
            question,
            [],
            float(value),
            tolerance=spec.tolerance,
            explanation=explanation,
            params=params,
        )
    order = rng.permutation(len(spec.choices))
    choices = [
        _fill({"en": spec.choices[i].en, "zh": spec.choices[i].zh}, params, ex) for i in order
    ]
    right = sorted(pos for pos, i in enumerate(order) if spec.choices[i].correct)
    whys = [_fill(w, params, ex) if (w := spec.choices[i].why) else None for i in order]
    return QuizVariant(
        question, choices, right, spec.multiple, explanation=explanation, params=params, whys=whys
    )


# --- parsing typed answers ---------------------------------------------------------------


def parse_number(text: str) -> float | Msg:
    """A typed number (``3.5``, ``-2``, ``1e-3``, ``7/2``), or a message saying what is wrong."""
    raw = text.strip()
    s = unicodedata.normalize("NFKC", raw).replace(" ", "").replace("\u2212", "-")
    if not s:
        return quiz_msg("quiz.empty_numeric")
    if "," in s:
        return quiz_msg("quiz.decimal_comma", got=raw)
    try:
        if s.count("/") == 1:
            top, bottom = (float(part) for part in s.split("/"))
            value = top / bottom
        else:
            value = float(s)
    except (ValueError, ZeroDivisionError):
        return quiz_msg("quiz.not_number", got=raw)
    if not math.isfinite(value):
        return quiz_msg("quiz.not_finite", got=raw)
    return value


def parse_choices(text: str, n: int, multiple: bool) -> list[int] | Msg:
    """Typed choices (``A``, ``b``, ``A,C``, ``1 3``) as sorted 0-based positions, or a message."""
    raw = text.strip()
    s = unicodedata.normalize("NFKC", raw).replace("、", ",")
    parts = [p for p in re.split(r"[\s,;]+", s) if p]
    if not parts:
        return quiz_msg("quiz.empty_choice")
    picked = set()
    for part in parts:
        if len(part) == 1 and part.isalpha() and part.isascii():
            pos = LETTERS.index(part.upper())
        elif part.isdigit():
            pos = int(part) - 1
        else:
            pos = -1
        if not 0 <= pos < n:
            return quiz_msg("quiz.bad_choice", got=part, last=LETTERS[n - 1], n=n)
        picked.add(pos)
    if not multiple and len(picked) > 1:
        return quiz_msg("quiz.one_choice", count=len(picked))
    return sorted(picked)


# --- grading -------------------------------------------------------------------------------


def grade_answer(ex: QuizExercise, seed: int, answer: str) -> dict[str, Any]:
    """Grade a typed answer to the learner's variant; the grader's result document."""
    start = time.perf_counter()
    try:
        variant = make_variant(ex, seed)
    except GeneratorError as exc:
        # an author's generator failed: the learner gets an incident id, the log the detail
        incident = uuid.uuid4().hex[:12]
        logging.getLogger("lmschool.grading").error(
            "quiz incident %s in %s: %s", incident, ex.id, exc
        )
        doc = _result(ex, seed, start, None, ("internal", msg("error.internal", incident=incident)))
        doc["incident"] = incident
        return doc
    if isinstance(variant.answer, float):
        got = parse_number(answer)
        if isinstance(got, Msg):
            return _result(ex, seed, start, (False, got), ("syntax", got))
        tol = variant.tolerance or Tolerance()
        passed = math.isclose(got, variant.answer, rel_tol=tol.rel, abs_tol=tol.abs)
        wrong = quiz_msg("quiz.wrong_numeric", got=f"{got:g}", rel=tol.rel, abs=tol.abs)
    else:
        picked = parse_choices(answer, len(variant.choices), variant.multiple)
        if isinstance(picked, Msg):
            return _result(ex, seed, start, (False, picked), ("syntax", picked))
        passed = picked == variant.answer
        letters = ", ".join(LETTERS[i] for i in picked)
        wrong = quiz_msg(
            "quiz.wrong_multiple" if variant.multiple else "quiz.wrong_choice", got=letters
        )
        if not passed:
            wrong = _explained(variant, picked, wrong)
    if passed and variant.explanation:
        # Filled per language here: the explanation may hold braces (LaTeX) Msg would format.
        right = {
            lang: QUIZ_MESSAGES["quiz.correct_explained"][lang].format(
                explanation=variant.explanation[lang]
            )
            for lang in LANGS
        }
        return _result(ex, seed, start, (True, right), None)
    return _result(
        ex, seed, start, (True, quiz_msg("quiz.correct")) if passed else (False, wrong), None
    )


def _explained(variant: QuizVariant, picked: list[int], wrong: Msg) -> Msg | dict[str, str]:
    """The wrong-answer message, with why each wrong choice picked is wrong and, for a
    multiple-answer quiz, that a right choice is missing (without saying which)."""
    right = set(variant.answer)  # type: ignore[arg-type]
    notes = [
        (LETTERS[i], why)
        for i in picked
        if i not in right and i < len(variant.whys) and (why := variant.whys[i])
    ]
    missing = variant.multiple and not right <= set(picked)
    if not notes and not missing:
        return wrong
    base = wrong.both()
    out = {}
    for lang in LANGS:
        lines = [base[lang]]
        lines += [f"{letter}: {why[lang]}" for letter, why in notes]
        if missing:
            lines.append(QUIZ_MESSAGES["quiz.missing_choice"][lang])
        out[lang] = "\n".join(lines)
    return out


def _result(
    ex: QuizExercise,
    seed: int,
    start: float,
    outcome: tuple[bool, Msg | dict[str, str]] | None,
    error: tuple[str, Msg] | None,
) -> dict[str, Any]:
    """The result document, in the shape the code grader writes."""
    checks = []
    if outcome is not None:
        passed, message = outcome
        checks.append(
            {
                "name": "answer",
                "title": dict(QUIZ_MESSAGES["quiz.title"]),
                "passed": passed,
                "points": 1.0 if passed else 0.0,
                "max_points": 1.0,
                "message": message.both() if isinstance(message, Msg) else message,
            }
        )
    passed = bool(checks) and all(c["passed"] for c in checks) and error is None
    return {
        "exercise": ex.id,
        "passed": passed,
        "score": 1.0 if passed else 0.0,
        "checks": checks,
        "error": None if error is None else {"kind": error[0], "message": error[1].both()},
        "duration_ms": (time.perf_counter() - start) * 1000.0,
        "output": "",
        "output_truncated": False,
        "sandbox": {"isolated": True, "backend": "quiz"},
        "seed": int(seed),
        "incident": None,
    }


def right_answer(ex: QuizExercise, seed: int) -> str:
    """An answer, typed as a learner would, that passes this learner's variant."""
    v = make_variant(ex, seed)
    if v.choices:
        return ",".join(LETTERS[i] for i in v.answer)  # type: ignore[union-attr]
    return repr(float(v.answer))  # type: ignore[arg-type]


def wrong_answer(ex: QuizExercise, seed: int) -> str:
    """An answer that fails this learner's variant (author validation, tests)."""
    v = make_variant(ex, seed)
    if v.choices:
        wrong = [i for i in range(len(v.choices)) if i not in v.answer]  # type: ignore[operator]
        return LETTERS[wrong[0]] if wrong else "A"
    return repr(float(v.answer) * 2 + 1)  # type: ignore[arg-type]
