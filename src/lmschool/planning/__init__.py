"""Training plans: from a profile to an explained schedule, re-planned from measured mastery.

- :mod:`~lmschool.planning.profile`: who learns and with how much time (validated, en/zh errors);
- :mod:`~lmschool.planning.tracks`: the planning data of a course pack (tracks.toml);
- :mod:`~lmschool.planning.selection`: target skills, lessons, prerequisites, labs;
- :mod:`~lmschool.planning.schedule`: the calendar of sessions and packing work into it;
- :mod:`~lmschool.planning.planner`: :func:`make_plan`, :func:`replan`, infeasible plans;
- :mod:`~lmschool.planning.document`: the plan document (JSON);
- :mod:`~lmschool.planning.mastery`: Bayesian knowledge tracing per learner and skill;
- :mod:`~lmschool.planning.fitting`: fitting BKT parameters from logged attempts;
- :mod:`~lmschool.planning.export`: Markdown, HTML, JSON and iCalendar;
- :mod:`~lmschool.planning.saved`: the learner's saved plans.

docs/planning.md describes it all.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from lmschool.planning import text as _text  # noqa: F401  (registers the plan strings)

if TYPE_CHECKING:
    from lmschool.planning.document import Plan
    from lmschool.planning.planner import InfeasiblePlan, ReplanError, make_plan, replan
    from lmschool.planning.profile import Profile, ProfileError, load_profile, make_profile
    from lmschool.planning.tracks import Tracks, TracksError, load_tracks

# Imported on first use: the grading loop imports lmschool.planning.mastery on every
# command, and should not pay for the planner, pydantic models and networkx.
_LAZY = {
    "Plan": "document",
    "InfeasiblePlan": "planner",
    "ReplanError": "planner",
    "make_plan": "planner",
    "replan": "planner",
    "Profile": "profile",
    "ProfileError": "profile",
    "load_profile": "profile",
    "make_profile": "profile",
    "Tracks": "tracks",
    "TracksError": "tracks",
    "load_tracks": "tracks",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(f"lmschool.planning.{_LAZY[name]}"), name)
    raise AttributeError(f"module 'lmschool.planning' has no attribute {name!r}")


__all__ = [
    "InfeasiblePlan",
    "Plan",
    "Profile",
    "ProfileError",
    "ReplanError",
    "Tracks",
    "TracksError",
    "load_profile",
    "load_tracks",
    "make_plan",
    "make_profile",
    "replan",
]
