"""Hidden checks for pipeline/deployment/shape-check.

Each check hands the learner's functions a model (as data) that is broken in one way
and requires a ValueError whose message tells an operator what is wrong: the file,
the array, the expected and the actual shape; or, for predict, what is wrong with X.
"""

import re

import numpy as np

from lmschool.grading.checks import check, expect_array, fail
from lmschool.grading.proxy import LearnerError, RemoteObject

FILES = ["churn-model", "credit-v2", "tumour-2024-05", "eta-model", "exam-risk"]


def _fail(en: str, zh: str) -> None:
    # Messages are str.format templates: learner text may hold braces.
    fail(
        {
            "en": en.replace("{", "{{").replace("}", "}}"),
            "zh": zh.replace("{", "{{").replace("}", "}}"),
        }
    )


def _model(rng):
    """A valid linear model with d != k, its header, its expected shapes and a file name."""
    d = int(rng.integers(4, 9))
    k = int(rng.choice([m for m in range(2, 7) if m != d]))
    params = {"W": rng.normal(size=(d, k)), "b": rng.normal(size=k)}
    header = {
        "format_version": 1,
        "arrays": {n: {"shape": list(a.shape), "dtype": "float64"} for n, a in params.items()},
        "meta": {"model": "linear", "classes": k},
    }
    source = f"{FILES[int(rng.integers(len(FILES)))]}.safetensors"
    return params, header, {"W": (d, k), "b": (k,)}, source


def _forms(shape) -> list[str]:
    """Ways a message may write a shape, compared with spaces removed: (4,3) [4,3] 4x3."""
    dims = [str(int(s)) for s in shape]
    forms = [
        "(" + ",".join(dims) + ("," if len(dims) == 1 else "") + ")",
        "[" + ",".join(dims) + "]",
    ]
    if len(dims) == 1:
        forms.append("(" + dims[0] + ")")
    else:
        forms += ["x".join(dims), "×".join(dims)]
    return forms


def _has_shape(message: str, shape) -> bool:
    flat = re.sub(r"\s+", "", message)
    return any(f in flat for f in _forms(shape))


def _value_error(call, what: str, hint: tuple[str, str] = ("", "")) -> str:
    """Run call(); it must raise ValueError in the learner's code. Returns the message.

    ``hint`` (en, zh) is added when nothing was raised: it says why the input is wrong.
    """
    try:
        got = call()
    except LearnerError as exc:
        if "ValueError" in exc.mro:
            return exc.message
        hint_en = hint_zh = ""
        if exc.type_name == "AssertionError":
            hint_en = " assert statements vanish under python -O and say nothing useful: use `if ...: raise ValueError(...)`."
            hint_zh = " assert 语句在 python -O 下会被去掉，而且说明不了问题：请用 `if ...: raise ValueError(...)`。"
        elif exc.type_name == "KeyError":
            hint_en = " A bare KeyError from params[name] names neither the file nor what was expected: check the names first and raise ValueError."
            hint_zh = " params[name] 抛出的 KeyError 既没说是哪个文件，也没说期望什么：请先检查名字，再抛出 ValueError。"
        _fail(
            f"{what} raised {exc.type_name} ({exc.message}); it must raise ValueError.{hint_en}",
            f"{what} 抛出了 {exc.type_name}（{exc.message}）；它必须抛出 ValueError。{hint_zh}",
        )
    kind = got.type_name if isinstance(got, RemoteObject) else type(got).__name__
    return _fail(
        f"{what} returned {kind} instead of raising ValueError.{hint[0]}",
        f"{what} 返回了 {kind}，而没有抛出 ValueError。{hint[1]}",
    )


FILE_WHY = (
    "An operator reading the log must see which file, which array, and what was expected versus found.",
    "看日志的运维人员必须能看出是哪个文件、哪个数组、期望什么、实际是什么。",
)
INPUT_WHY = (
    "The caller must be able to fix their request from the message alone.",
    "调用者必须只凭这条信息就能改正自己的请求。",
)


def _mentions(message: str, what: str, parts: list[tuple[bool, str, str]], why=FILE_WHY) -> None:
    """Every (present, en, zh) must hold; the failure lists what the message lacks."""
    lacking = [(en, zh) for ok, en, zh in parts if not ok]
    if lacking:
        _fail(
            f"{what} raised ValueError as it should, but its message {message!r} does not name {', '.join(e for e, _ in lacking)}. {why[0]}",
            f"{what} 按要求抛出了 ValueError，但信息 {message!r} 没有给出{'、'.join(z for _, z in lacking)}。{why[1]}",
        )


SIZES = (
    " Compare shapes, not sizes: the array has the right number of values in the wrong layout, and X @ W would then fail or, worse, compute nonsense.",
    " 要比较形状而不是元素个数：这个数组的元素个数没错，排布却错了，X @ W 会因此报错，或者更糟，算出毫无意义的结果。",
)


@check(
    points=1,
    title={
        "en": "A valid model passes, and predict gives X @ W + b",
        "zh": "合法的模型能通过检查，predict 给出 X @ W + b",
    },
)
def valid_model(ctx):
    params, header, expected, source = _model(ctx.rng)
    got = ctx.learner.check_model(params, header, expected, source)
    if got is not None:
        kind = got.type_name if isinstance(got, RemoteObject) else type(got).__name__
        _fail(
            f"check_model returned a {kind} for a valid model; it should return None (and raise only when something is wrong).",
            f"对合法的模型，check_model 返回了 {kind}；它应当返回 None（只在有问题时抛出异常）。",
        )
    X = ctx.rng.normal(size=(int(ctx.rng.integers(2, 12)), expected["W"][0]))
    expect_array(
        "predict(params, X)",
        ctx.learner.predict(params, X),
        X @ params["W"] + params["b"],
        rtol=1e-10,
        atol=1e-12,
    )


@check(
    points=2,
    title={
        "en": "A transposed W is refused with a message that names it",
        "zh": "转置了的 W 会被拒绝，信息中点明了它",
    },
)
def transposed_weights(ctx):
    params, header, expected, source = _model(ctx.rng)
    params["W"] = params["W"].T.copy()  # same size, wrong shape: the classic export bug
    what = (
        f"check_model with W of shape {tuple(params['W'].shape)} where {expected['W']} is expected"
    )
    message = _value_error(
        lambda: ctx.learner.check_model(params, header, expected, source), what, SIZES
    )
    _mentions(
        message,
        what,
        [
            (source in message, f"the file ({source!r})", f"文件（{source!r}）"),
            (re.search(r"\bW\b", message) is not None, "the array ('W')", "数组（'W'）"),
            (
                _has_shape(message, expected["W"]),
                f"the expected shape {expected['W']}",
                f"期望的形状 {expected['W']}",
            ),
            (
                _has_shape(message, params["W"].shape),
                f"the actual shape {tuple(params['W'].shape)}",
                f"实际的形状 {tuple(params['W'].shape)}",
            ),
        ],
    )


@check(
    points=1,
    title={
        "en": "A bias stored as a column (k, 1) is refused",
        "zh": "以列向量 (k, 1) 存储的偏置会被拒绝",
    },
)
def column_bias(ctx):
    params, header, expected, source = _model(ctx.rng)
    params["b"] = params["b"].reshape(-1, 1)  # same size: only the shape tells
    what = (
        f"check_model with b of shape {tuple(params['b'].shape)} where {expected['b']} is expected"
    )
    message = _value_error(
        lambda: ctx.learner.check_model(params, header, expected, source), what, SIZES
    )
    _mentions(
        message,
        what,
        [
            (source in message, f"the file ({source!r})", f"文件（{source!r}）"),
            (re.search(r"\bb\b", message) is not None, "the array ('b')", "数组（'b'）"),
        ],
    )


@check(
    points=1,
    title={
        "en": "A missing or an unexpected array is refused by name",
        "zh": "缺少的或多出的数组会被按名字拒绝",
    },
)
def missing_and_extra(ctx):
    params, header, expected, source = _model(ctx.rng)
    short = {"W": params["W"]}
    what = "check_model with no 'b' in params"
    message = _value_error(lambda: ctx.learner.check_model(short, header, expected, source), what)
    _mentions(
        message,
        what,
        [
            (source in message, f"the file ({source!r})", f"文件（{source!r}）"),
            (
                re.search(r"\bb\b", message) is not None,
                "the missing array ('b')",
                "缺少的数组（'b'）",
            ),
        ],
    )
    extra = {**params, "W_old": params["W"].copy()}
    what = "check_model with an extra array 'W_old' in params"
    message = _value_error(lambda: ctx.learner.check_model(extra, header, expected, source), what)
    _mentions(
        message,
        what,
        [("W_old" in message, "the unexpected array ('W_old')", "多出的数组（'W_old'）")],
    )


@check(
    points=1,
    title={"en": "A file of another format version is refused", "zh": "其他格式版本的文件会被拒绝"},
)
def format_version(ctx):
    params, header, expected, source = _model(ctx.rng)
    version = int(ctx.rng.integers(2, 9))
    header["format_version"] = version
    what = f"check_model with format_version {version} (this code reads version 1)"
    message = _value_error(
        lambda: ctx.learner.check_model(params, header, expected, source),
        what,
        (
            " A file written for another layout may load without error and mean something else: compare header['format_version'] with FORMAT_VERSION first.",
            " 为另一种布局写出的文件可能不报错地加载进来，含义却不同：请先把 header['format_version'] 与 FORMAT_VERSION 比较。",
        ),
    )
    _mentions(
        message,
        what,
        [
            (source in message, f"the file ({source!r})", f"文件（{source!r}）"),
            (
                str(version) in message,
                f"the file's version ({version})",
                f"文件的版本（{version}）",
            ),
            ("1" in message, "the version this code reads (1)", "本代码读取的版本（1）"),
        ],
    )


@check(
    points=1,
    title={
        "en": "predict refuses X with the wrong number of features",
        "zh": "特征数不对时 predict 拒绝输入",
    },
)
def wrong_features(ctx):
    params, _, expected, _ = _model(ctx.rng)
    d = expected["W"][0]
    m = d + int(ctx.rng.choice([-2, -1, 1, 2, 3]))
    X = ctx.rng.normal(size=(5, m))
    what = f"predict(params, X) with X of shape (5, {m}) for a model of {d} features"
    message = _value_error(lambda: ctx.learner.predict(params, X), what)
    low = message.lower()
    _mentions(
        message,
        what,
        [
            (
                str(d) in message and str(m) in message,
                f"both numbers of features ({d} expected, {m} given)",
                f"两个特征数（期望 {d}，实际 {m}）",
            ),
            (
                any(w in low for w in ("feature", "column", "特征", "列")),
                "the word 'features' (numpy's own matmul error says 'core dimension', which means nothing to a caller)",
                "“特征”一词（numpy 自己的 matmul 报错说的是 “core dimension”，调用者看不懂）",
            ),
        ],
        INPUT_WHY,
    )


@check(
    points=1,
    title={
        "en": "predict refuses a 1-D X and non-finite values",
        "zh": "predict 拒绝一维的 X 和非有限值",
    },
)
def one_d_and_nan(ctx):
    params, _, expected, _ = _model(ctx.rng)
    d = expected["W"][0]
    x = ctx.rng.normal(size=d)
    _value_error(
        lambda: ctx.learner.predict(params, x),
        f"predict(params, x) with a 1-D x of shape ({d},)",
        (
            f" numpy computes x @ W for it and returns shape {expected['b']} instead of (1, {expected['b'][0]}); the same code would turn {d} one-feature samples into garbage. Require X.ndim == 2 and tell the caller to pass one sample as x.reshape(1, -1).",
            f" numpy 会对它计算 x @ W 并返回形状 {expected['b']}，而不是 (1, {expected['b'][0]})；同样的代码遇到 {d} 个单特征样本时会算出垃圾。请要求 X.ndim == 2，并告诉调用者把单个样本写成 x.reshape(1, -1) 传入。",
        ),
    )
    X = ctx.rng.normal(size=(int(ctx.rng.integers(6, 15)), d))
    row = int(ctx.rng.integers(2, X.shape[0]))
    X[row, int(ctx.rng.integers(d))] = np.nan if ctx.rng.random() < 0.5 else np.inf
    what = f"predict(params, X) with a non-finite value in row {row}"
    message = _value_error(lambda: ctx.learner.predict(params, X), what)
    _mentions(
        message,
        what,
        [(re.search(rf"\b{row}\b", message) is not None, f"the row ({row})", f"所在的行（{row}）")],
        INPUT_WHY,
    )
