"""The calendar of sessions a profile allows, and packing work into it.

:func:`calendar` lays out sessions week by week from the profile's start date to its
last day (``end``, or the end of the last week): on the available weekdays, in order,
each as long as the session length, until the week's hours are used (a last, shorter
session is kept if it is at least ``min_session_minutes``). Sessions are numbered from
the start date, so a re-plan from a later day keeps the same numbers.
:func:`weekly_minutes` is what one full week of those sessions holds.

:func:`pack` places work in that calendar in order. An item goes whole into the current
session when it fits; otherwise it waits for the next session, and only an item longer
than a fresh session is split into parts. Spaced reviews are due a number of days after
the lesson that taught their skill; a due review goes first in the next session with
room for it. Nothing ever exceeds a session's length, so nothing exceeds a week's hours.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from datetime import date, timedelta

from lmschool.planning.profile import WEEKDAYS, Profile

FORMATS = {"online-self-paced": "online", "classroom": "classroom", "workshop": "workshop"}


@dataclass(frozen=True, slots=True)
class Slot:
    index: int
    date: date
    week: int  # 1-based week of the plan
    minutes: int
    format: str


@dataclass(frozen=True, slots=True)
class Calendar:
    slots: list[Slot]
    session_minutes: int
    weekly_minutes: int
    end: date  # the last day of the plan

    @property
    def capacity(self) -> int:
        return sum(s.minutes for s in self.slots)


def session_length(profile: Profile, default: int) -> int:
    return profile.session_minutes or default


def week_lengths(
    weekly: int, days: int, session_minutes: int, min_session_minutes: int
) -> list[int]:
    """The lengths of one full week's sessions: ``weekly`` minutes over ``days`` sessions."""
    shortest = min(min_session_minutes, session_minutes)
    out: list[int] = []
    left = weekly
    for _ in range(days):
        length = min(session_minutes, left)
        if length < shortest:
            break
        out.append(length)
        left -= length
    return out


def weekly_minutes(profile: Profile, *, session_minutes: int, min_session_minutes: int) -> int:
    """The minutes one full week of sessions holds (at most ``hours_per_week``)."""
    weekly = round(profile.hours_per_week * 60)
    lengths = week_lengths(weekly, len(profile.weekdays), session_minutes, min_session_minutes)
    return sum(lengths)


def calendar(
    profile: Profile,
    *,
    session_minutes: int,
    min_session_minutes: int,
    first_day: date | None = None,
) -> Calendar:
    """The sessions from ``first_day`` (default: the start) to the profile's last day."""
    weekly = round(profile.hours_per_week * 60)
    days = {WEEKDAYS.index(d) for d in profile.weekdays}
    shortest = min(min_session_minutes, session_minutes)
    end = profile.last_day
    slots: list[Slot] = []
    index = 0
    for week in range(profile.n_weeks):
        left = weekly
        first_in_week = True
        for offset in range(7):
            day = profile.start + timedelta(days=week * 7 + offset)
            if day.weekday() not in days or day > end:
                continue
            length = min(session_minutes, left)
            if length < shortest:
                break
            left -= length
            if profile.mode == "blended":
                fmt = "classroom" if first_in_week else "online"
            else:
                fmt = FORMATS[profile.mode]
            first_in_week = False
            if first_day is None or day >= first_day:
                slots.append(Slot(index, day, week + 1, length, fmt))
            index += 1
    return Calendar(slots, session_minutes, weekly, end)


@dataclass(slots=True)
class Work:
    """An item to place: its id, minutes, and the weak skills to review after it."""

    id: str
    minutes: int
    review_after: tuple[str, ...] = ()


@dataclass(slots=True)
class Placed:
    item: str
    slot: int
    minutes: int
    part: int


@dataclass
class Packing:
    entries: dict[int, list[Placed]] = field(default_factory=dict)  # slot index -> entries
    unplaced: list[str] = field(default_factory=list)
    reviews: list[tuple[str, int, date]] = field(default_factory=list)  # skill, number, due
    late_reviews: list[tuple[str, int, date]] = field(default_factory=list)

    @property
    def fits(self) -> bool:
        return not self.unplaced


def review_id(skill: str, number: int) -> str:
    return f"spaced-review:{skill}:{number}"


def pack(
    cal: Calendar,
    work: list[Work],
    *,
    first_day: date,
    intervals: list[int],
    review_minutes: int,
    early_reviews: tuple[str, ...] = (),
    min_part: int = 15,
) -> Packing:
    """Place ``work`` in order into the calendar, with spaced reviews when they are due."""
    out = Packing()
    due: list[tuple[date, int, str, int]] = []  # (due, sequence, skill, number)
    seq = 0

    def schedule_reviews(skills: tuple[str, ...], taught_on: date) -> None:
        nonlocal seq
        for skill in skills:
            for number, days in enumerate(intervals, start=1):
                heapq.heappush(due, (taught_on + timedelta(days=days), seq, skill, number))
                seq += 1

    schedule_reviews(early_reviews, first_day - timedelta(days=1))

    def place(slot: Slot, item: str, minutes: int, part: int) -> None:
        out.entries.setdefault(slot.index, []).append(Placed(item, slot.index, minutes, part))

    def place_due(slot: Slot, left: int) -> int:
        waiting: list[tuple[date, int, str, int]] = []
        reviewed: set[str] = set()  # one review of a skill per session: keep them spaced
        while due and due[0][0] <= slot.date:
            entry = heapq.heappop(due)
            if review_minutes <= left and entry[2] not in reviewed:
                reviewed.add(entry[2])
                place(slot, review_id(entry[2], entry[3]), review_minutes, 1)
                out.reviews.append((entry[2], entry[3], entry[0]))
                left -= review_minutes
            else:
                waiting.append(entry)
        for entry in waiting:
            heapq.heappush(due, entry)
        return left

    longest = max((s.minutes for s in cal.slots), default=0)
    i, done_minutes, part = 0, 0, 1
    for slot in cal.slots:
        left = place_due(slot, slot.minutes)
        while i < len(work) and left > 0:
            w = work[i]
            rest = w.minutes - done_minutes
            if rest <= left:
                place(slot, w.id, rest, part)
                left -= rest
                schedule_reviews(w.review_after, slot.date)
                i, done_minutes, part = i + 1, 0, 1
            elif w.minutes > longest and left >= min(min_part, slot.minutes):
                # Longer than any session: split it, starting here.
                place(slot, w.id, left, part)
                done_minutes += left
                part += 1
                left = 0
            else:
                break  # wait for a fresh session
    out.unplaced = [w.id for w in work[i:]]
    out.late_reviews = sorted((skill, number, day) for day, _, skill, number in due)
    return out
