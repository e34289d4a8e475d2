"""Hidden checks for lm/capstone/lab-finance: bits per character on hidden text.

The grading is shared by the five capstone labs and lives in ../../labkit.py (the lesson
folder, which no learner sees); this file names the lab and the points.
"""

import sys
from pathlib import Path

from lmschool.grading.checks import check

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
import labkit  # noqa: E402

LAB = labkit.LABS["finance"]


@check(points=1, title={"en": "fit returns self", "zh": "fit 返回 self"})
def fit_returns_self(ctx):
    labkit.fit_returns_self(ctx, LAB)


@check(
    points=2,
    title={
        "en": "Every row is a log-distribution over the alphabet, short contexts included",
        "zh": "每一行都是字母表上的对数分布，短上下文也不例外",
    },
)
def normalised(ctx):
    labkit.normalised(ctx, LAB)


@check(
    points=1,
    title={
        "en": "A context's distribution does not depend on the rest of the call",
        "zh": "一个上下文的分布不依赖同一次调用中的其他上下文",
    },
)
def rows_independent(ctx):
    labkit.rows_independent(ctx, LAB)


@check(
    points=4,
    title={
        "en": "Bits per character on the hidden text reach the bar",
        "zh": "隐藏文本上的每字符比特数达到要求",
    },
)
def hidden_quality(ctx):
    labkit.hidden_quality(ctx, LAB)
