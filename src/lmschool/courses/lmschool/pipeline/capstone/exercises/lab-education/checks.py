"""Hidden checks for pipeline/capstone/lab-education: graded on hidden held-out data.

The grading logic is shared by the four labs and lives in ../../labkit.py (the lesson
folder, which no learner sees); this file names the lab and the points.
"""

import sys
from pathlib import Path

from lmschool.grading.checks import check

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
import labkit  # noqa: E402

LAB = labkit.LABS["education"]


@check(
    points=4,
    title={
        "en": "Quality on the hidden test data reaches the bar",
        "zh": "隐藏测试数据上的质量达到要求",
    },
)
def hidden_test_quality(ctx):
    labkit.quality(ctx, LAB)


@check(points=1, title={"en": "fit returns self", "zh": "fit 返回 self"})
def fit_returns_self(ctx):
    labkit.fit_returns_self(ctx, LAB)


@check(
    points=1,
    title={
        "en": "A row's label does not depend on the rest of the batch",
        "zh": "一行的标签不依赖同批的其他行",
    },
)
def batch_independent(ctx):
    labkit.batch_independent(ctx, LAB)


@check(
    points=1,
    title={
        "en": "predict rejects X with the wrong number of columns",
        "zh": "列数不对时 predict 拒绝输入",
    },
)
def wrong_columns(ctx):
    labkit.wrong_columns(ctx, LAB)


@check(
    points=1,
    title={
        "en": "Rows with missing values and unseen categories get a label",
        "zh": "有缺失值或未见过类别的行也能得到标签",
    },
)
def hard_rows(ctx):
    labkit.hard_rows(ctx, LAB)
