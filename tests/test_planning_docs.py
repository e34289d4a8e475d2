"""Planning docs that cannot rot: every field is documented, the example plans are current."""

from __future__ import annotations

import pytest

from lmschool.planning.document import PLAN_MODELS
from lmschool.planning.examples import PLANS, render_examples
from lmschool.planning.profile import Profile
from lmschool.planning.tracks import TRACKS_MODELS
from tests.conftest import ROOT

DOC = (ROOT / "docs" / "planning.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "name, model",
    [("profile", Profile), *TRACKS_MODELS.items(), *PLAN_MODELS.items()],
)
def test_every_field_is_documented_in_planning_md(name: str, model: type) -> None:
    missing = [f for f in model.model_fields if f"| `{f}` |" not in DOC]
    assert not missing, f"document these fields of {name} in docs/planning.md: {missing}"


def test_plan_command_help_exists_in_both_languages() -> None:
    from lmschool.planning.text import PLAN_HELP

    for key, texts in PLAN_HELP.items():
        assert set(texts) == {"en", "zh"} and all(v.strip() for v in texts.values()), key


def test_the_example_plans_are_current() -> None:
    """Regenerated from examples/profiles; run `python -m lmschool.planning.examples`."""
    files = render_examples()
    committed = {p.name for p in PLANS.iterdir()}
    assert committed == set(files), "run `python -m lmschool.planning.examples`"
    stale = [name for name, data in files.items() if (PLANS / name).read_bytes() != data]
    assert not stale, f"out of date: {stale}; run `python -m lmschool.planning.examples`"


def test_every_example_has_a_sensible_plan_in_both_languages() -> None:
    files = render_examples()
    for name in ("junior-high-ai-club", "university-ml-course", "finance-engineer-llm"):
        en, zh = files[f"{name}.en.md"].decode(), files[f"{name}.zh.md"].decode()
        assert en.startswith("# Training plan: ") and zh.startswith("# 培训计划：")
        assert "## Schedule" in en and "## 日程" in zh
    club = files["junior-high-ai-club.en.md"].decode()
    assert "pipeline/intro" in club and "level too high for the stage" in club
