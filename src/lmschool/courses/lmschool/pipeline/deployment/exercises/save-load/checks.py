"""Hidden checks for pipeline/deployment/save-load.

Every check saves and loads inside the learner's sandbox (its working folder is a
private, writable tmpfs), each under its own path prefix, and compares what comes
back with what went in: names, dtypes, shapes, values bit for bit, and metadata.
"""

import numpy as np

from lmschool.grading.checks import check, expect_array, fail
from lmschool.grading.proxy import RemoteObject

WORDS = ["churn", "credit", "tumour", "digits", "iris", "housing", "delivery", "exam"]


def _fail(en: str, zh: str) -> None:
    # Messages are str.format templates: learner text may hold braces.
    fail(
        {
            "en": en.replace("{", "{{").replace("}", "}}"),
            "zh": zh.replace("{", "{{").replace("}", "}}"),
        }
    )


def _prefix(ctx, folder: str = "") -> str:
    word = WORDS[int(ctx.rng.integers(len(WORDS)))]
    return f"{folder}{word}-v{int(ctx.rng.integers(1, 99))}"


def _round_trip(ctx, params: dict, meta: dict, prefix: str) -> tuple[dict, object]:
    """save_model then load_model in the sandbox; the loaded (params, meta), validated as data."""
    ctx.learner.save_model(params, meta, prefix)
    return _loaded(ctx.learner.load_model(prefix), params, f"load_model({prefix!r})")


def _loaded(got, params: dict, call: str) -> tuple[dict, object]:
    """What load_model returned, as (dict of arrays with params' names, meta), or a failure."""
    if isinstance(got, RemoteObject) or not isinstance(got, tuple | list) or len(got) != 2:
        what = got.type_name if isinstance(got, RemoteObject) else type(got).__name__
        _fail(
            f"{call} must return a pair (params, meta); it returned a {what}.",
            f"{call} 必须返回一对值 (params, meta)；它返回了 {what}。",
        )
    loaded, loaded_meta = got
    if not isinstance(loaded, dict):
        what = loaded.type_name if isinstance(loaded, RemoteObject) else type(loaded).__name__
        _fail(
            f"{call}[0] must be a dict of NumPy arrays (name -> array); it is a {what}.",
            f"{call}[0] 必须是由 NumPy 数组组成的字典（名字 -> 数组）；它是 {what}。",
        )
    want, have = sorted(params), sorted(str(k) for k in loaded)
    if want != have:
        hint_en = hint_zh = ""
        if any(k.startswith("arr_") for k in have):
            hint_en = " Names such as 'arr_0' come from np.savez(path, *arrays): pass the arrays by name, np.savez(path, **params)."
            hint_zh = " 'arr_0' 这样的名字来自 np.savez(path, *arrays)：请按名字传入数组，np.savez(path, **params)。"
        _fail(
            f"{call} returned the arrays {have}; the model saved {want}. The names of the arrays are part of the model.{hint_en}",
            f"{call} 返回的数组是 {have}；保存的模型是 {want}。数组的名字也是模型的一部分。{hint_zh}",
        )
    for name, value in loaded.items():
        if isinstance(value, RemoteObject) or not isinstance(value, np.ndarray):
            what = value.type_name if isinstance(value, RemoteObject) else type(value).__name__
            _fail(
                f"{call}: params[{name!r}] is a {what}; it must be a NumPy array.",
                f"{call}：params[{name!r}] 是 {what}；它必须是 NumPy 数组。",
            )
    return loaded, loaded_meta


def _same_arrays(call: str, params: dict, loaded: dict) -> None:
    for name, want in params.items():
        got = loaded[name]
        if got.dtype != want.dtype:
            _fail(
                f"{call}: {name!r} was saved as {want.dtype} and came back as {got.dtype}. Keep every array's dtype: converting (e.g. to float32 to save space, or everything to float) changes the model and its predictions.",
                f"{call}：{name!r} 保存时是 {want.dtype}，读回来却是 {got.dtype}。请保留每个数组的 dtype：做类型转换（例如为了省空间转成 float32，或全部转成 float）会改变模型和它的预测。",
            )
        expect_array(f"{call}[0][{name!r}]", got, want, rtol=0, atol=0)


@check(
    points=2,
    title={
        "en": "A linear model's predictions survive the round trip exactly",
        "zh": "线性模型的预测在保存-加载后完全不变",
    },
)
def round_trip_predictions(ctx):
    d, k = int(ctx.rng.integers(3, 9)), int(ctx.rng.integers(1, 4))
    params = {"W": ctx.rng.normal(size=(d, k)), "b": ctx.rng.normal(size=k)}
    meta = {"model": "linear", "features": [f"x{i}" for i in range(d)], "trained_on": "2024-05-01"}
    prefix = _prefix(ctx)
    loaded, _ = _round_trip(ctx, params, meta, prefix)
    _same_arrays(f"load_model({prefix!r})", params, loaded)
    X = ctx.rng.normal(size=(50, d))
    want = X @ params["W"] + params["b"]
    got = X @ loaded["W"].astype(np.float64) + loaded["b"].astype(np.float64)
    expect_array("predictions of the loaded model", got, want, rtol=0, atol=0)


@check(
    points=1,
    title={
        "en": "dtypes and shapes are kept (float32, int64, bool, 0-d)",
        "zh": "保留 dtype 和形状（float32、int64、bool、0 维）",
    },
)
def dtypes_and_shapes(ctx):
    rng = ctx.rng
    params = {
        "embedding": rng.normal(size=(int(rng.integers(4, 9)), 3)).astype(np.float32),
        "vocab_ids": rng.integers(0, 10**12, size=int(rng.integers(3, 7))).astype(np.int64),
        "mask": rng.random(5) < 0.5,
        "temperature": np.array(rng.uniform(0.5, 2.0)),
        "pixels": rng.integers(0, 256, size=(2, 2, 3)).astype(np.uint8),
    }
    prefix = _prefix(ctx)
    loaded, _ = _round_trip(ctx, params, {"model": "mixed"}, prefix)
    _same_arrays(f"load_model({prefix!r})", params, loaded)


@check(
    points=1,
    title={"en": "Metadata comes back exactly as saved", "zh": "元数据读回来与保存时完全一致"},
)
def metadata_preserved(ctx):
    rng = ctx.rng
    meta = {
        "model": "logistic-regression",
        "C": float(rng.uniform(0.01, 10)),
        "epochs": int(rng.integers(10, 500)),
        "standardise": True,
        "threshold": None,
        "classes": ["良性", "恶性"],
        "scaler": {
            "mean": [float(v) for v in rng.normal(size=3)],
            "note": "fit on the training split",
        },
    }
    params = {"w": rng.normal(size=3), "b": np.array(float(rng.normal()))}
    prefix = _prefix(ctx)
    _, got = _round_trip(ctx, params, meta, prefix)
    if isinstance(got, RemoteObject) or not isinstance(got, dict):
        what = got.type_name if isinstance(got, RemoteObject) else type(got).__name__
        _fail(
            f"load_model({prefix!r})[1] must be the meta dict that was saved; it is a {what}.",
            f"load_model({prefix!r})[1] 必须是保存时的 meta 字典；它是 {what}。",
        )
    if got == meta:
        return
    if isinstance(got.get("epochs"), str) or isinstance(got.get("C"), str):
        _fail(
            "Numbers in meta came back as strings (e.g. 'epochs'). safetensors' own metadata holds only strings: keep meta in the JSON file, where numbers, booleans, None, lists and nested dicts survive.",
            "meta 中的数字读回来变成了字符串（例如 'epochs'）。safetensors 自带的元数据只能保存字符串：请把 meta 放在 JSON 文件里，数字、布尔值、None、列表和嵌套字典都能原样保存。",
        )
    if {"format_version", "arrays", "meta"} <= set(got):
        _fail(
            "load_model returned the whole JSON header as meta. Return header['meta']: the caller gets back exactly the meta it saved.",
            "load_model 把整个 JSON 头当作 meta 返回了。请返回 header['meta']：调用者应拿回它保存的那个 meta。",
        )
    diff = sorted(k for k in set(meta) | set(got) if meta.get(k, object()) != got.get(k, object()))
    _fail(
        f"The meta that came back differs from the one saved in {diff}: saved {meta!r}, got {got!r}.",
        f"读回来的 meta 在 {diff} 上与保存的不同：保存的是 {meta!r}，读回的是 {got!r}。",
    )


@check(
    points=1,
    title={
        "en": "Saving into a folder that does not exist yet, then again into it",
        "zh": "保存到尚不存在的文件夹，然后再次保存到这个文件夹",
    },
)
def creates_folders(ctx):
    folder = f"models/run-{int(ctx.rng.integers(1000))}/"
    prefix = _prefix(ctx, folder=folder)
    params = {"W": ctx.rng.normal(size=(3, 2)), "b": ctx.rng.normal(size=2)}
    loaded, _ = _round_trip(ctx, params, {"model": "linear"}, prefix)
    _same_arrays(f"load_model({prefix!r})", params, loaded)
    # A second model in the folder that now exists: creating it again must not fail.
    second = folder + "second-" + prefix.rsplit("/", 1)[1]
    params = {"W": ctx.rng.normal(size=(2, 2)), "b": ctx.rng.normal(size=2)}
    loaded, _ = _round_trip(ctx, params, {"model": "second"}, second)
    _same_arrays(f"load_model({second!r}), saved into an existing folder", params, loaded)


@check(
    points=1,
    title={
        "en": "Two models under two prefixes do not overwrite each other",
        "zh": "两个前缀下的两个模型互不覆盖",
    },
)
def two_models(ctx):
    rng = ctx.rng
    a = {"W": rng.normal(size=(4, 2)), "b": rng.normal(size=2)}
    b = {"W": rng.normal(size=(5, 3)), "b": rng.normal(size=3), "scale": rng.random(5)}
    pa, pb = "first-" + _prefix(ctx), "second-" + _prefix(ctx)
    ctx.learner.save_model(a, {"name": "a"}, pa)
    ctx.learner.save_model(b, {"name": "b"}, pb)
    got = ctx.learner.load_model(pa)
    looks_like_b = (
        isinstance(got, tuple | list)
        and len(got) == 2
        and isinstance(got[0], dict)
        and (sorted(str(k) for k in got[0]) == sorted(b) or got[1] == {"name": "b"})
    )
    if looks_like_b:
        _fail(
            f"After saving model A under {pa!r} and model B under {pb!r}, load_model({pa!r}) returned model B. Build both file names from path_prefix (path_prefix + '.safetensors', path_prefix + '.json') instead of a fixed name.",
            f"把模型 A 保存在 {pa!r}、模型 B 保存在 {pb!r} 之后，load_model({pa!r}) 返回的却是模型 B。请用 path_prefix 拼出两个文件名（path_prefix + '.safetensors'、path_prefix + '.json'），不要用固定的文件名。",
        )
    loaded, _ = _loaded(got, a, f"load_model({pa!r})")
    _same_arrays(f"load_model({pa!r})", a, loaded)
