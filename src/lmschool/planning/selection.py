"""Choosing what goes into a plan: target skills, lessons, prerequisites, labs.

:class:`CourseGraph` is computed once per catalog: lessons in course order, the
prerequisite graph (networkx) and which lessons teach which skill. :func:`select`
then, for one profile and its progress:

1. collects the target skills of the goal, the role and the industry (tracks.toml) and
   the profile's own ``targets``; a target that is known, mastered or already taught
   needs nothing, one that no lesson suited to the stage teaches is out of scope;
2. picks, for each remaining target, the first lesson in course order that teaches it
   and suits the stage and compute; lessons named by the goal's and role's tracks are
   required too;
3. pulls in every prerequisite, transitively, except those already known, mastered or
   taught (knowing a lesson counts as knowing what it builds on);
4. for an industry other than ``general``, adds that industry's lessons and their
   prerequisites as optional items, and picks the lab exercises marked for the industry
   (``industries = [...]`` in exercise.toml, or ``labs`` in tracks.toml); with none for
   the industry, the general variant (else the first) stands in, and the plan says so;
5. orders the lessons along the prerequisite graph, course order breaking ties.

Every pick records why it is there.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from lmschool.course import Catalog, Exercise, Lesson, Module
from lmschool.course.model import LEVELS
from lmschool.planning.document import Reason, Skipped, Target
from lmschool.planning.profile import COMPUTES, Profile
from lmschool.planning.tracks import Tracks

if TYPE_CHECKING:
    import networkx as nx


class CourseGraph:
    """Per-catalog facts the planner needs, computed once."""

    def __init__(self, catalog: Catalog) -> None:
        import networkx as nx  # imported here: every CLI command imports this module

        self.catalog = catalog
        self.lessons: list[Lesson] = catalog.lessons()
        self.order = {le.id: i for i, le in enumerate(self.lessons)}
        self.lesson = {le.id: le for le in self.lessons}
        self.modules: dict[str, Module] = {
            m.id: m for course in catalog.courses for m in course.modules
        }
        self.graph: nx.DiGraph = nx.DiGraph()
        self.graph.add_nodes_from(le.id for le in self.lessons)
        for le in self.lessons:
            for p in le.prerequisites:
                if p in self.lesson:
                    self.graph.add_edge(p, le.id)
        self.ancestors = {le.id: frozenset(nx.ancestors(self.graph, le.id)) for le in self.lessons}
        self.teaches: dict[str, list[str]] = {}
        for le in self.lessons:
            skills = list(le.skills) + [s for ex in le.exercises for s in ex.skills]
            for s in dict.fromkeys(skills):
                self.teaches.setdefault(s, []).append(le.id)
        self.skills = sorted(self.teaches)

    def exercise_skills(self, ex: Exercise) -> list[str]:
        return list(ex.skills) or list(self.lesson[ex.lesson_id].skills)

    def ordered(self, lesson_ids: set[str]) -> list[str]:
        """Lessons in prerequisite order (transitively), course order breaking ties."""
        import networkx as nx

        sub = nx.DiGraph()
        sub.add_nodes_from(lesson_ids)
        for b in lesson_ids:
            for a in self.ancestors[b] & lesson_ids:
                sub.add_edge(a, b)
        return list(nx.lexicographical_topological_sort(sub, key=self.order.__getitem__))


_GRAPHS: weakref.WeakKeyDictionary[Catalog, CourseGraph] = weakref.WeakKeyDictionary()


def course_graph(catalog: Catalog) -> CourseGraph:
    graph = _GRAPHS.get(catalog)
    if graph is None:
        graph = _GRAPHS[catalog] = CourseGraph(catalog)
    return graph


@dataclass
class Pick:
    lesson: str
    reasons: list[Reason] = field(default_factory=list)
    optional: bool = True
    exercises: list[str] = field(default_factory=list)
    labs: list[tuple[str, Reason]] = field(default_factory=list)

    def add_reason(self, reason: Reason) -> None:
        if reason not in self.reasons:
            self.reasons.append(reason)


@dataclass
class Selection:
    targets: list[Target]
    picks: list[Pick]  # in plan order
    skipped: list[Skipped]


@dataclass(frozen=True)
class Progress:
    """What the learner already has: skills known or mastered, lessons and labs done."""

    known: frozenset[str] = frozenset()
    mastered: frozenset[str] = frozenset()
    done: frozenset[str] = frozenset()  # lesson and exercise ids done before the first day


def select(cg: CourseGraph, tracks: Tracks, profile: Profile, progress: Progress) -> Selection:
    rule = tracks.stage(profile.stage)
    max_level = LEVELS.index(rule.max_level)
    have = COMPUTES.index(profile.compute)
    needs: dict[str, int] = {}
    for name, c in tracks.compute.items():
        for lesson_id in c.lessons:
            needs[lesson_id] = max(needs.get(lesson_id, 0), COMPUTES.index(name))
    covered = progress.known | progress.mastered
    skipped: dict[str, str] = {}

    def done_reason(le: Lesson) -> str | None:
        if le.id in progress.done:
            return "taught"
        if all(s in covered for s in le.skills):
            return "mastered" if all(s in progress.mastered for s in le.skills) else "known"
        return None

    def unsuited(le: Lesson) -> str | None:
        if LEVELS.index(le.level) > max_level:
            return "stage-level"
        if profile.stage not in le.audience:
            return "stage-audience"
        if needs.get(le.id, 0) > have:
            return "compute"
        return None

    memo: dict[str, str | None] = {}

    def blocked(lesson_id: str) -> str | None:
        """Why the lesson cannot be planned (None: it can), prerequisites included."""
        if lesson_id not in memo:
            le = cg.lesson[lesson_id]
            why = unsuited(le)
            if why is None:
                for p in le.prerequisites:
                    if p in cg.lesson and done_reason(cg.lesson[p]) is None and blocked(p):
                        why = "prerequisite-unsuited"
                        break
            memo[lesson_id] = why
        return memo[lesson_id]

    picks: dict[str, Pick] = {}

    def add(lesson_id: str, reason: Reason, optional: bool) -> None:
        pick = picks.get(lesson_id)
        if pick is None:
            pick = picks[lesson_id] = Pick(lesson_id, optional=optional)
        elif not optional:
            pick.optional = False
        pick.add_reason(reason)
        for p in cg.lesson[lesson_id].prerequisites:
            if p not in cg.lesson:
                continue
            why = done_reason(cg.lesson[p])
            if why is not None:
                skipped.setdefault(p, why)
                continue
            if p in picks and (picks[p].optional <= optional):
                picks[p].add_reason(Reason(code="prerequisite", lesson=lesson_id))
                continue
            add(p, Reason(code="prerequisite", lesson=lesson_id), optional)

    # 1) targets
    goal = tracks.goals.get(profile.goal)
    role = tracks.roles.get(profile.role)
    industry = tracks.industries.get(profile.industry)
    wanted = [
        *(goal.skills if goal else []),
        *(role.skills if role else []),
        *(industry.skills if industry and profile.industry != "general" else []),
        *profile.targets,
    ]
    targets: list[Target] = []
    for skill in dict.fromkeys(wanted):
        teachers = cg.teaches.get(skill, [])
        if skill in progress.mastered:
            targets.append(Target(skill=skill, status="mastered"))
        elif skill in progress.known:
            targets.append(Target(skill=skill, status="known"))
        elif any(t in progress.done for t in teachers):
            lesson = next(t for t in teachers if t in progress.done)
            targets.append(Target(skill=skill, status="taught", lesson=lesson))
        else:
            ok = [t for t in teachers if blocked(t) is None]
            if ok:
                targets.append(Target(skill=skill, status="planned", lesson=ok[0]))
                add(ok[0], Reason(code="target", skill=skill), optional=False)
            else:
                detail = blocked(teachers[0]) if teachers else "no-lesson"
                targets.append(Target(skill=skill, status="out-of-scope", detail=detail))  # type: ignore[arg-type]

    # 2) lessons the goal's and role's tracks name
    for section, track in (("goals", goal), ("roles", role)):
        if track is None:
            continue
        key = profile.goal if section == "goals" else profile.role
        for lesson_id in track.lessons:
            why = done_reason(cg.lesson[lesson_id]) or blocked(lesson_id)
            if why:
                skipped.setdefault(lesson_id, why)
            else:
                add(lesson_id, Reason(code="track", track=f"{section}.{key}"), optional=False)

    # 3) the industry's lessons and labs, optional
    labs_for: dict[str, list[str]] = {}
    if profile.industry != "general":
        explicit = list(industry.labs) if industry else []
        for ex_id in explicit:
            labs_for.setdefault(cg.catalog.exercise(ex_id).lesson_id, []).append(ex_id)
        wanted_lessons = [
            *(industry.lessons if industry else []),
            *[le.id for le in cg.lessons if profile.industry in le.industries],
            *labs_for,
        ]
        for lesson_id in dict.fromkeys(wanted_lessons):
            why = done_reason(cg.lesson[lesson_id]) or blocked(lesson_id)
            if why:
                skipped.setdefault(lesson_id, why)
            else:
                add(lesson_id, Reason(code="industry-lesson", industry=profile.industry), True)

    # 4) exercises and labs of each picked lesson
    skipped_ex: list[Skipped] = []
    for pick in picks.values():
        _exercises(cg, pick, profile, rule.exercise_kinds, labs_for, progress, skipped_ex)

    order = cg.ordered(set(picks))
    for le in cg.lessons:
        if le.id not in picks and le.id not in skipped:
            why = done_reason(le) or blocked(le.id) or "not-needed"
            skipped[le.id] = why
    skipped_list = [
        Skipped(ref=le.id, kind="lesson", reason=skipped[le.id])  # type: ignore[arg-type]
        for le in cg.lessons
        if le.id in skipped and le.id not in picks
    ]
    return Selection(targets, [picks[x] for x in order], skipped_list + skipped_ex)


def _exercises(
    cg: CourseGraph,
    pick: Pick,
    profile: Profile,
    kinds: list[str],
    labs_for: dict[str, list[str]],
    progress: Progress,
    skipped: list[Skipped],
) -> None:
    """Split a picked lesson's exercises into plain exercises and labs."""
    lesson = cg.lesson[pick.lesson]
    explicit = labs_for.get(lesson.id, [])
    variants: list[Exercise] = []
    for ex in lesson.exercises:
        if ex.kind not in kinds:
            skipped.append(Skipped(ref=ex.id, kind="exercise", reason="exercise-kind"))
        elif ex.id in progress.done:
            skipped.append(Skipped(ref=ex.id, kind="exercise", reason="taught"))
        elif ex.industries or ex.id in explicit:
            variants.append(ex)
        else:
            pick.exercises.append(ex.id)
    if not variants:
        return
    mine = [ex for ex in variants if profile.industry in ex.industries or ex.id in explicit]
    if mine:
        chosen = {ex.id: Reason(code="industry-lab", industry=profile.industry) for ex in mine}
    else:  # no variant for this industry: the general one stands in, else the first
        stand_in = next((ex for ex in variants if "general" in ex.industries), variants[0])
        chosen = {stand_in.id: Reason(code="lab")}
    for ex in variants:
        if ex.id in chosen:
            pick.labs.append((ex.id, chosen[ex.id]))
        else:
            skipped.append(Skipped(ref=ex.id, kind="exercise", reason="other-industry"))
