"""Hidden checks for deep/rnn/demand-forecast: one-day-ahead forecasts of 365 hidden days.

The series comes from ../../seqdata.py (the lesson folder, which no learner sees).
"""

import sys
from pathlib import Path

import numpy as np

from lmschool.grading import labkit as kit
from lmschool.grading.checks import check

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
import seqdata  # noqa: E402

WINDOW, N_TRAIN, N_TEST, BAR = 56, 1095, 365, 0.90
RATIO = kit.Metric("MAE / seasonal-naive MAE", "MAE / 季节朴素 MAE", higher_is_better=False)


def _forecasts(got, n):
    return kit.values(
        got, (n,), f"predict_next(windows) for {n} windows", what=("forecasts", "预测值")
    )


def _data(ctx):
    series = seqdata.demand_series(ctx.hidden_seed, N_TRAIN + N_TEST)
    X, y = seqdata.windows(series, N_TRAIN, N_TRAIN + N_TEST, WINDOW)
    return series[:N_TRAIN], X, y


@check(
    points=4,
    title={
        "en": "Beats seasonal-naive by 10% on the 365 hidden days",
        "zh": "在 365 个隐藏日子上比季节朴素预测好 10%",
    },
)
def hidden_days(ctx):
    train, X, y = _data(ctx)
    model = ctx.learner.Forecaster()
    model.fit(train)
    pred = _forecasts(model.predict_next(X), len(X))
    mae = float(np.mean(np.abs(pred - y)))
    naive = float(np.mean(np.abs(X[:, -7] - y)))
    rmse = float(np.sqrt(np.mean((pred - y) ** 2)))
    if np.allclose(pred, X[:, -1]):
        advice = (
            "Your forecasts equal the last day of each window ('same as yesterday'). Demand has a strong weekly pattern; use at least the same weekday a week ago.",
            "你的预测等于每个窗口的最后一天（“和昨天一样”）。需求有很强的周模式；至少要用上一周同一天的值。",
        )
    else:
        advice = (
            f"RMSE {rmse:.2f}. A model that only copies last week is not enough: normalise each window by its level and fit an autoregression on the lags.",
            f"RMSE 为 {rmse:.2f}。只复制上一周是不够的：把每个窗口按它的水平归一化，再对滞后值做自回归。",
        )
    kit.quality_bar(
        RATIO,
        mae / naive,
        BAR,
        where=kit.Noun(
            f"the {len(y)} hidden days (your MAE {mae:.2f} parcels, the bar {BAR * naive:.2f})",
            f"{len(y)} 个隐藏日子上（你的 MAE 为 {mae:.2f} 件，要求不超过 {BAR * naive:.2f}）",
        ),
        baselines=[
            kit.Baseline(
                f"seasonal-naive (the same weekday a week before, MAE {naive:.2f})",
                f"季节朴素预测（上一周同一天的值，MAE 为 {naive:.2f}）",
                {RATIO: 1.0},
            )
        ],
        advice=advice,
    )


@check(points=1, title={"en": "fit returns self", "zh": "fit 返回 self"})
def fit_returns_self(ctx):
    train, _, _ = _data(ctx)
    model = ctx.learner.Forecaster()
    kit.fit_model(model, train[-400:], call="fit(series)", returns_self=True)


@check(
    points=1,
    title={"en": "A forecast depends on its own window only", "zh": "每个预测只依赖自己的窗口"},
)
def row_independent(ctx):
    train, X, _ = _data(ctx)
    model = ctx.learner.Forecaster()
    model.fit(train)
    pick = ctx.rng.choice(len(X), size=12, replace=False)
    kit.expect_rows_independent(
        lambda W: _forecasts(model.predict_next(W), len(W)),
        X[pick],
        range(3),
        unit=kit.Noun("window", "个窗口"),
        tolerance=1e-6,
        rtol=1e-5,
        advice=(
            "Normalise each window by its own statistics, not the batch's.",
            "请用每个窗口自己的统计量归一化，而不是整批的。",
        ),
    )
