"""Realistic simulated tabular data sets for the industry labs (finance, education, logistics).

Public data for these industries is either not redistributable or not bundled with any
library, so these generators simulate it. They are not toys: each one draws a few
unobserved *latent factors* (a client's financial stress, a student's ability, a
route's congestion), builds observed features from them with realistic units, ranges,
skew and noise (so features are correlated the way real ones are), encodes a couple of
categorical columns as integers, removes values the way real records lose them
(some at random, some for a reason, some by construction), and draws the label from
a logistic model with nonlinear terms, interactions and unobserved noise, so that:

- the classes are imbalanced (the positive class is the rarer, costly event);
- a careful pipeline (imputation fitted on training data, missing-value indicators,
  one-hot categories, scaling, class weights or a tuned threshold) clearly beats a
  naive one (zeros for missing values, category codes as numbers, no scaling);
- nothing is perfectly separable: the unobserved noise caps what any model can reach.

Every generator returns ``(X, y, feature_names)``: ``X`` float64 of shape (n, d) with
NaN for missing values, ``y`` int64 of 0/1, and the column names (units in the name).
Output depends only on ``(n, seed)``. Two draws with the same seed and different ``n``
share a distribution, not their first rows: draw once with the size you need.

Only NumPy is imported: learners import this module inside the grading sandbox.
"""

from __future__ import annotations

import numpy as np

__all__ = ["CATEGORICAL", "credit_default", "late_deliveries", "student_pass"]

#: The categorical columns (integer codes) of each generator, by feature name.
CATEGORICAL: dict[str, list[str]] = {
    "credit-default": ["home_ownership", "employment_type"],
    "student-pass": ["school_type", "parent_education"],
    "late-deliveries": ["carrier", "shipping_mode", "region"],
}


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * z))  # = 1 / (1 + e^-z), without overflow


def _latent(rng: np.random.Generator, n: int, corr: np.ndarray) -> np.ndarray:
    """n draws of standard normal factors with correlation matrix ``corr``: (n, k)."""
    return rng.multivariate_normal(np.zeros(len(corr)), corr, size=n, method="cholesky")


def _blank(rng: np.random.Generator, column: np.ndarray, p: np.ndarray | float) -> None:
    """Set each value of ``column`` to NaN with probability ``p`` (a scalar or per row)."""
    column[rng.random(column.shape[0]) < p] = np.nan


def _check(n: int) -> None:
    if not isinstance(n, int | np.integer) or n < 1:
        raise ValueError(f"n must be a positive integer number of rows, got {n!r}")


# --- finance --------------------------------------------------------------------------


def credit_default(n: int = 5000, seed: int = 0) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Credit-card clients; the label is a payment default within the next 12 months.

    Modelled on the shape of public credit-scoring data (the UCI "default of credit
    card clients" set, consumer-loan books): about 21% of clients default.

    Data-generating process:

    1. Three latent factors per client, standard normal with correlations:
       ``wealth`` (income and assets), ``stress`` (financial strain) and
       ``discipline`` (payment habits); corr(wealth, stress) = -0.35,
       corr(stress, discipline) = -0.45, corr(wealth, discipline) = 0.2.
    2. Observed features, in this column order:

       ============================ ===================================================
       ``age_years``                21-75, rises with wealth
       ``annual_income_k``          thousands per year, log-normal (median ~55),
                                    driven by wealth and an age curve peaking near 50
       ``credit_limit_k``           thousands, ~0.3-0.6 x income, rounded to 0.5
       ``utilisation``              balance / limit, 0-1.3 (over 1 = over the limit),
                                    driven by stress
       ``debt_to_income``           monthly debt payments / monthly income, 0-1.5
       ``months_employed``          at the current employer, grows with age
       ``n_credit_lines``           open accounts, Poisson
       ``n_late_payments_12m``      30+ days late in the last year, Poisson(stress,
                                    discipline)
       ``n_inquiries_6m``           credit applications in the last 6 months
       ``home_ownership``           categorical: 0 rent, 1 mortgage, 2 own outright,
                                    3 living with family
       ``employment_type``          categorical: 0 salaried, 1 self-employed,
                                    2 civil servant, 3 unemployed, 4 retired
       ============================ ===================================================

    3. Label: ``P(default) = sigmoid(f)`` with ``f`` a sum of utilisation (steeper
       above 90% and again above the limit), late payments (diminishing: ``log1p``),
       debt-to-income, recent inquiries, log income (protective), a U-shape in age,
       non-monotone category effects (self-employed and unemployed riskier, civil
       servants safer than salaried), an interaction (high debt-to-income hurts more
       at low income) and unobserved noise N(0, 0.6²).
    4. Missing values (NaN): ``annual_income_k`` ~7% (self-reported; clients under
       strain skip it more often), ``months_employed`` for every unemployed client
       plus ~6% of the others (structural and random), ``n_inquiries_6m`` ~5% (no
       bureau record, at random), ``debt_to_income`` wherever income is missing
       (it is computed from it).
    """
    _check(n)
    rng = np.random.default_rng(seed)
    corr = np.array([[1.0, -0.35, 0.2], [-0.35, 1.0, -0.45], [0.2, -0.45, 1.0]])
    wealth, stress, discipline = _latent(rng, n, corr).T

    age = np.clip(38 + 6.5 * wealth + rng.normal(0, 10, n), 21, 75).round()
    age_curve = -(((age - 50) / 18) ** 2)  # income peaks in the fifties
    employment = rng.choice(5, size=n, p=[0.58, 0.14, 0.12, 0.06, 0.10])
    employment[(age > 64) & (rng.random(n) < 0.75)] = 4  # most over 64 are retired
    employment[(employment == 4) & (age < 55)] = 0  # and nobody retires at 30
    income_shift = np.array([0.0, 0.1, 0.05, -0.9, -0.35])[employment]
    income = np.exp(4.0 + 0.45 * wealth + 0.25 * age_curve + income_shift + rng.normal(0, 0.3, n))
    income = np.clip(income, 6, 600).round(1)

    limit = np.round(income * np.exp(rng.normal(-0.9, 0.25, n)) * 2) / 2
    limit = np.clip(limit, 1.0, None)
    utilisation = np.clip(_sigmoid(-0.9 + 1.3 * stress + rng.normal(0, 0.6, n)) * 1.25, 0, 1.3)
    dti = np.clip(np.exp(-1.3 + 0.35 * stress - 0.15 * wealth + rng.normal(0, 0.35, n)), 0, 1.5)

    months = np.floor(np.clip(rng.gamma(2.0, 6 + 1.2 * (age - 21)), 0, 12 * (age - 18)))
    lines = rng.poisson(np.exp(1.2 + 0.25 * wealth + 0.1 * stress))
    late = rng.poisson(np.exp(-1.4 + 0.7 * stress - 0.6 * discipline))
    inquiries = rng.poisson(np.exp(-0.3 + 0.5 * stress))

    own_logits = np.stack(
        [
            0.3 - 0.6 * wealth - 0.03 * (age - 40),  # rent
            0.2 + 0.5 * wealth,  # mortgage
            -1.0 + 0.4 * wealth + 0.06 * (age - 40),  # own outright
            -0.8 - 0.09 * (age - 30),  # with family
        ],
        axis=1,
    )
    own_p = np.exp(own_logits - own_logits.max(axis=1, keepdims=True))
    own_p /= own_p.sum(axis=1, keepdims=True)
    home = (rng.random((n, 1)) > np.cumsum(own_p, axis=1)).sum(axis=1)

    f = (
        -2.85
        + 1.6 * (utilisation - 0.45)
        + 3.0 * np.maximum(utilisation - 0.9, 0)  # near and over the limit: much worse
        + 0.9 * np.log1p(late)
        + 1.4 * (dti - 0.3)
        + 1.5 * np.maximum(dti - 0.45, 0) * (income < 35)  # high DTI on a low income
        + 0.22 * inquiries
        - 0.35 * np.log(income / 50)
        + 0.25 * ((age - 45) / 12) ** 2  # young and old borrowers riskier
        + np.array([0.0, 0.8, -0.9, 1.3, -0.3])[employment]
        + np.array([0.25, -0.2, -0.6, 0.35])[home]
        - 0.3 * discipline
        + rng.normal(0, 0.6, n)  # what the bank never observes
    )
    y = (rng.random(n) < _sigmoid(f)).astype(np.int64)

    income_obs = income.astype(np.float64)
    _blank(rng, income_obs, 0.03 + 0.2 * (stress > 0.8))  # strained clients skip it more
    dti_obs = np.where(np.isnan(income_obs), np.nan, dti.round(3))
    months_obs = months.astype(np.float64)
    months_obs[employment == 3] = np.nan  # unemployed: no current employer
    _blank(rng, months_obs, 0.06)
    inquiries_obs = inquiries.astype(np.float64)
    _blank(rng, inquiries_obs, 0.05)

    X = np.column_stack(
        [
            age,
            income_obs,
            limit,
            utilisation.round(3),
            dti_obs,
            months_obs,
            lines,
            late,
            inquiries_obs,
            home,
            employment,
        ]
    ).astype(np.float64)
    names = [
        "age_years",
        "annual_income_k",
        "credit_limit_k",
        "utilisation",
        "debt_to_income",
        "months_employed",
        "n_credit_lines",
        "n_late_payments_12m",
        "n_inquiries_6m",
        "home_ownership",
        "employment_type",
    ]
    return X, y, names


# --- education ------------------------------------------------------------------------


def student_pass(n: int = 5000, seed: int = 0) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Secondary-school students; the label is 1 = passed the final exam, 0 = failed.

    Modelled on the shape of public learning-analytics data (the UCI student
    performance set, the Open University OULAD logs): about 30% fail.

    Data-generating process:

    1. Three latent factors, standard normal with correlations: ``ability``,
       ``motivation`` and ``support`` (family and socio-economic);
       corr(ability, motivation) = 0.3, corr(ability, support) = 0.25,
       corr(motivation, support) = 0.2.
    2. Observed features, in this column order:

       ============================ ===================================================
       ``age_years``                15-19 (older students in a grade have often
                                    repeated one: slightly lower ability)
       ``prior_grade``              last term's grade, 0-100, from ability
       ``study_hours_week``         0-40, log-normal, from motivation
       ``attendance_rate``          0.3-1.0, from motivation; a few chronic absentees
       ``assignments_submitted``    fraction of the 12 assignments handed in
       ``quiz_average``             0-100, from ability and study
       ``online_minutes_week``      learning-platform time, heavy-tailed
       ``sleep_hours``              4-10, fewer with a part-time job
       ``commute_minutes``          0-120
       ``part_time_job``            0/1
       ``school_type``              categorical: 0 public, 1 private, 2 vocational
       ``parent_education``         categorical: 0 none, 1 primary, 2 secondary,
                                    3 bachelor, 4 postgraduate (from support)
       ============================ ===================================================

    3. Label: ``P(pass) = sigmoid(f)``, ``f`` from prior grade, quiz average,
       diminishing returns of study time (``log1p``), an attendance threshold
       (below 80% it falls steeply), assignments, too little sleep, a long commute
       combined with a job, school type (vocational schools grade differently), and
       unobserved noise N(0, 0.7²) (exam-day luck, illness).
    4. Missing values (NaN): ``quiz_average`` ~9%, mostly students who skipped
       quizzes (low motivation: informative), ``prior_grade`` ~7% (transfer
       students, at random), ``sleep_hours`` ~15% (survey question left blank),
       ``online_minutes_week`` ~4% (log export gaps).
    """
    _check(n)
    rng = np.random.default_rng(seed)
    corr = np.array([[1.0, 0.3, 0.25], [0.3, 1.0, 0.2], [0.25, 0.2, 1.0]])
    ability, motivation, support = _latent(rng, n, corr).T

    age = np.clip(np.round(16.5 - 0.35 * ability + rng.normal(0, 0.9, n)), 15, 19)
    school = rng.choice(3, size=n, p=[0.62, 0.18, 0.20])
    school[(support > 1.0) & (rng.random(n) < 0.35)] = 1  # private schools: richer families
    parent_edu = np.clip(np.round(2.0 + 1.1 * support + rng.normal(0, 0.7, n)), 0, 4)
    job = (rng.random(n) < _sigmoid(-1.3 - 0.6 * support + 0.5 * (age - 17))).astype(np.int64)

    prior = np.clip(68 + 11 * ability + 3 * motivation + rng.normal(0, 7, n), 0, 100).round()
    hours = np.clip(np.exp(1.9 + 0.45 * motivation + rng.normal(0, 0.45, n)) - 1.5 * job, 0, 40)
    attendance = np.clip(0.9 + 0.06 * motivation + rng.normal(0, 0.05, n), 0.3, 1.0)
    chronic = rng.random(n) < 0.05
    attendance[chronic] = rng.uniform(0.3, 0.7, chronic.sum())
    assignments = (
        np.clip(np.round(12 * _sigmoid(1.8 + 1.0 * motivation + rng.normal(0, 0.7, n))), 0, 12) / 12
    )
    quiz = np.clip(62 + 10 * ability + 2.5 * np.log1p(hours) + rng.normal(0, 9, n), 0, 100).round(1)
    online = np.round(np.exp(4.2 + 0.5 * motivation + 0.3 * support + rng.normal(0, 0.7, n)))
    sleep = np.clip(7.6 - 0.9 * job - 0.04 * hours + rng.normal(0, 0.8, n), 4, 10).round(1)
    commute = np.clip(rng.gamma(2.0, 12, n) + 25 * (school == 2), 0, 120).round()

    f = (
        1.6
        + 0.075 * (prior - 68)
        + 0.045 * (quiz - 62)
        + 0.7 * (np.log1p(hours) - 2.0)
        + 9.0 * np.minimum(attendance - 0.8, 0)  # below 80% attendance: steep drop
        + 1.6 * (assignments - 0.85)
        - 0.45 * np.maximum(6.5 - sleep, 0)
        - 0.6 * job * (commute > 45)
        + np.array([0.0, 0.4, -0.8])[school]
        + 0.45 * motivation
        + rng.normal(0, 0.7, n)
    )
    y = (rng.random(n) < _sigmoid(f)).astype(np.int64)

    quiz_obs = quiz.astype(np.float64)
    _blank(rng, quiz_obs, 0.02 + 0.25 * (motivation < -0.6))  # skipped quizzes
    prior_obs = prior.astype(np.float64)
    _blank(rng, prior_obs, 0.07)
    sleep_obs = sleep.astype(np.float64)
    _blank(rng, sleep_obs, 0.15)
    online_obs = online.astype(np.float64)
    _blank(rng, online_obs, 0.04)

    X = np.column_stack(
        [
            age,
            prior_obs,
            hours.round(1),
            attendance.round(3),
            assignments.round(4),
            quiz_obs,
            online_obs,
            sleep_obs,
            commute,
            job,
            school,
            parent_edu,
        ]
    ).astype(np.float64)
    names = [
        "age_years",
        "prior_grade",
        "study_hours_week",
        "attendance_rate",
        "assignments_submitted",
        "quiz_average",
        "online_minutes_week",
        "sleep_hours",
        "commute_minutes",
        "part_time_job",
        "school_type",
        "parent_education",
    ]
    return X, y, names


# --- logistics ------------------------------------------------------------------------


def late_deliveries(n: int = 5000, seed: int = 0) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Parcel shipments; the label is 1 = delivered after the promised date.

    Modelled on the shape of public supply-chain data (e-commerce order logs such as
    the DataCo and Olist sets): about 22% of parcels arrive late.

    Data-generating process: each shipment's true transit time is simulated from its
    route and conditions, and it is late when that time exceeds the promise.

    1. Two latent factors per shipment: ``congestion`` (network and road load on the
       day) and ``difficulty`` (address and handling problems), corr = 0.3.
    2. Observed features, in this column order:

       ============================ ===================================================
       ``distance_km``              log-normal, 3-3000
       ``weight_kg``                log-normal, 0.1-60
       ``n_items``                  1 + Poisson
       ``promised_days``            the promise made at checkout, from distance and mode
       ``dispatch_hour``            6-21; after the 16:00 cut-off a parcel waits a day
       ``warehouse_load``           orders in the queue / capacity at dispatch, 0.2-1.6
       ``weather_severity``         0-1 index on the route
       ``traffic_index``            0-1, from congestion
       ``driver_experience_years``  0-30 (of the last-mile driver)
       ``carrier``                  categorical 0-4; carriers differ in reliability,
                                    not in order of their code
       ``shipping_mode``            categorical: 0 standard, 1 express, 2 same-day,
                                    3 freight
       ``region``                   categorical: 0 urban, 1 suburban, 2 rural, 3 remote
       ============================ ===================================================

    3. Label: the true transit time in days is a base time per mode plus distance /
       speed, plus a day after the cut-off, plus delays that grow with warehouse load
       (sharply above capacity), weather, traffic, region, the carrier, heavy parcels
       and inexperienced drivers, times log-normal noise; ``P(late)`` is a logistic
       function of (transit time - promise) / sqrt(promise), so the same hour of
       delay matters more for a same-day promise than for a week-long one.
    4. Missing values (NaN): ``weather_severity`` ~10% (no station on the route),
       ``traffic_index`` ~9% (no feed for rural and remote routes: informative),
       ``driver_experience_years`` ~12% (subcontracted drivers, whose records are
       missing and who are less experienced).
    """
    _check(n)
    rng = np.random.default_rng(seed)
    congestion, difficulty = _latent(rng, n, np.array([[1.0, 0.3], [0.3, 1.0]])).T

    region = rng.choice(4, size=n, p=[0.45, 0.30, 0.18, 0.07])
    distance = np.clip(np.exp(rng.normal(5.0, 1.2, n) + 0.5 * region), 3, 3000).round(1)
    mode = rng.choice(4, size=n, p=[0.55, 0.25, 0.08, 0.12])
    mode[(mode == 2) & (distance > 60)] = 1  # same-day only for short distances
    weight = np.clip(np.exp(rng.normal(0.6, 1.1, n) + 1.8 * (mode == 3)), 0.1, 60).round(2)
    items = 1 + rng.poisson(np.clip(weight / 4, 0.2, 6))
    carrier = rng.choice(5, size=n, p=[0.3, 0.25, 0.2, 0.15, 0.1])
    hour = rng.integers(6, 22, size=n)
    load = np.clip(0.75 + 0.25 * congestion + rng.normal(0, 0.15, n), 0.2, 1.6).round(3)
    weather = np.clip(_sigmoid(-1.8 + 0.8 * congestion + rng.normal(0, 1.0, n)), 0, 1).round(3)
    traffic = np.clip(
        _sigmoid(0.9 * congestion + 0.5 * (region == 0) + rng.normal(0, 0.5, n)), 0, 1
    ).round(3)
    subcontracted = rng.random(n) < 0.15
    experience = np.clip(rng.gamma(2.0, 3.5, n) - 3 * subcontracted, 0, 30).round(1)

    speed = np.array([400.0, 700.0, 200.0, 300.0])[mode]  # km per day of line haul
    base = np.array([1.0, 0.5, 0.1, 2.0])[mode]
    # The promise: the expected line haul rounded up to whole days, plus a buffer per mode.
    buffer = np.array([0.6, 0.3, 0.0, 1.0])[mode] + 0.5 * (region >= 2)
    promised = np.maximum(np.ceil(base + distance / speed + buffer), 1)
    delay = (
        (hour >= 16) * np.where(mode == 2, 0.5, 1.0)  # missed the cut-off
        + 2.4 * np.maximum(load - 1.0, 0)  # queue over capacity: sharply worse
        + 0.5 * load
        + 1.2 * weather**2
        + 0.7 * traffic
        + np.array([0.0, 0.2, 0.5, 1.0])[region]
        + np.array([0.0, 0.45, -0.25, 0.7, 0.15])[carrier]  # not ordered by code
        + 0.25 * (weight > 20)
        + 0.35 * np.exp(-experience / 3)
        + 0.3 * difficulty
    )
    transit = (base + distance / speed + delay) * np.exp(rng.normal(0, 0.12, n))
    slack = (transit - promised) / np.sqrt(promised)
    y = (rng.random(n) < _sigmoid(-4.2 + 4.0 * slack)).astype(np.int64)

    weather_obs = weather.astype(np.float64)
    _blank(rng, weather_obs, 0.10)
    traffic_obs = traffic.astype(np.float64)
    _blank(rng, traffic_obs, np.array([0.02, 0.05, 0.2, 0.4])[region])
    experience_obs = experience.astype(np.float64)
    _blank(rng, experience_obs, np.where(subcontracted, 0.6, 0.035))

    X = np.column_stack(
        [
            distance,
            weight,
            items,
            promised,
            hour,
            load,
            weather_obs,
            traffic_obs,
            experience_obs,
            carrier,
            mode,
            region,
        ]
    ).astype(np.float64)
    names = [
        "distance_km",
        "weight_kg",
        "n_items",
        "promised_days",
        "dispatch_hour",
        "warehouse_load",
        "weather_severity",
        "traffic_index",
        "driver_experience_years",
        "carrier",
        "shipping_mode",
        "region",
    ]
    return X, y, names
