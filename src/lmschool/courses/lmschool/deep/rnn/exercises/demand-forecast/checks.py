"""Hidden checks for deep/rnn/demand-forecast: one-day-ahead forecasts of 365 hidden days.

The series comes from ../../seqdata.py (the lesson folder, which no learner sees).
"""

import sys
from pathlib import Path

import numpy as np
import torch

from lmschool.grading.checks import check, expect, fail
from lmschool.grading.proxy import RemoteObject

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
import seqdata  # noqa: E402

WINDOW, N_TRAIN, N_TEST, BAR = 56, 1095, 365, 0.90


def _fail(en: str, zh: str) -> None:
    fail({"en": en, "zh": zh})


def _forecasts(got, n):
    if isinstance(got, RemoteObject):
        _fail(
            f"predict_next must return an array, not a {got.type_name}.",
            f"predict_next 必须返回数组，而不是 {got.type_name}。",
        )
    if isinstance(got, torch.Tensor):
        got = got.detach().cpu().numpy()
    try:
        arr = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        _fail("predict_next must return an array of numbers.", "predict_next 必须返回数值数组。")
    if arr.shape != (n,):
        _fail(
            f"predict_next(windows) for {n} windows must return shape ({n},), got {arr.shape}. Flatten a column of forecasts with .reshape(-1).",
            f"对 {n} 个窗口，predict_next(windows) 必须返回形状 ({n},)，而你返回了 {arr.shape}。列向量的预测请用 .reshape(-1) 展平。",
        )
    if not np.all(np.isfinite(arr)):
        _fail("predict_next returned NaN or inf.", "predict_next 返回了 NaN 或 inf。")
    return arr


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
    if mae > BAR * naive:
        if np.allclose(pred, X[:, -1]):
            _fail(
                f"Your forecasts equal the last day of each window ('same as yesterday'): MAE {mae:.2f} against seasonal-naive {naive:.2f}. Demand has a strong weekly pattern; use at least the same weekday a week ago.",
                f"你的预测等于每个窗口的最后一天（“和昨天一样”）：MAE {mae:.2f}，而季节朴素为 {naive:.2f}。需求有很强的周模式；至少要用上一周同一天的值。",
            )
        _fail(
            f"MAE on the 365 hidden days is {mae:.2f} parcels (RMSE {rmse:.2f}), {mae / naive:.3f} x the seasonal-naive MAE {naive:.2f}; the bar is {BAR:.2f} x ({BAR * naive:.2f}). A model that only copies last week is not enough: normalise each window by its level and fit an autoregression on the lags.",
            f"在 365 个隐藏日子上 MAE 为 {mae:.2f} 件（RMSE {rmse:.2f}），是季节朴素 MAE {naive:.2f} 的 {mae / naive:.3f} 倍；要求不超过 {BAR:.2f} 倍（{BAR * naive:.2f}）。只复制上一周是不够的：把每个窗口按它的水平归一化，再对滞后值做自回归。",
        )


@check(points=1, title={"en": "fit returns self", "zh": "fit 返回 self"})
def fit_returns_self(ctx):
    train, _, _ = _data(ctx)
    model = ctx.learner.Forecaster()
    out = model.fit(train[-400:])
    expect(
        out == model, {"en": "fit(series) must return self.", "zh": "fit(series) 必须返回 self。"}
    )


@check(
    points=1,
    title={"en": "A forecast depends on its own window only", "zh": "每个预测只依赖自己的窗口"},
)
def row_independent(ctx):
    train, X, _ = _data(ctx)
    model = ctx.learner.Forecaster()
    model.fit(train)
    pick = ctx.rng.choice(len(X), size=12, replace=False)
    together = _forecasts(model.predict_next(X[pick]), 12)
    alone = np.array([_forecasts(model.predict_next(X[[i]]), 1)[0] for i in pick[:3]])
    if not np.allclose(together[:3], alone, rtol=1e-5, atol=1e-6):
        _fail(
            f"The forecast for a window changes with the other windows in the batch ({together[0]:.3f} in a batch of 12, {alone[0]:.3f} alone). Normalise each window by its own statistics, not the batch's.",
            f"同一个窗口的预测随同批的其他窗口而变化（12 个一批时为 {together[0]:.3f}，单独时为 {alone[0]:.3f}）。请用每个窗口自己的统计量归一化，而不是整批的。",
        )
