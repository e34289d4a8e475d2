"""lmschool.ml.nn: seeded loaders, fit/evaluate, the small models' shapes, generation."""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from lmschool.ml.nn import (  # noqa: E402
    MLP,
    CharRNN,
    CharRNNConfig,
    History,
    LeNet,
    evaluate,
    fit,
    make_loader,
)


def _blobs(seed: int = 0, n: int = 200):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, size=n)
    X = rng.normal(size=(n, 2)) + 2.0 * y[:, None]  # (N, 2) two shifted clouds
    return X, y


def test_loader_order_is_fixed_by_the_seed() -> None:
    X, y = _blobs()
    first = [yb.tolist() for _, yb in make_loader(X, y, batch_size=16, seed=3)]
    again = [yb.tolist() for _, yb in make_loader(X, y, batch_size=16, seed=3)]
    other = [yb.tolist() for _, yb in make_loader(X, y, batch_size=16, seed=4)]
    assert first == again and first != other
    xb, yb = next(iter(make_loader(X, y, batch_size=16, shuffle=False)))
    assert xb.dtype == torch.float32 and yb.dtype == torch.int64
    np.testing.assert_allclose(xb.numpy(), X[:16].astype(np.float32))


def test_loader_refuses_mismatched_lengths() -> None:
    with pytest.raises(ValueError, match="rows"):
        make_loader(np.zeros((5, 2)), np.zeros(4), batch_size=2)


def _train(seed: int) -> tuple[History, MLP]:
    X, y = _blobs()
    torch.manual_seed(seed)
    model = MLP(2, [16], 2)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    hist = fit(
        model,
        make_loader(X[:150], y[:150], batch_size=32, seed=seed),
        epochs=8,
        optimizer=opt,
        val_loader=make_loader(X[150:], y[150:], batch_size=64, shuffle=False),
        progress=False,
        seed=seed,
    )
    return hist, model


def test_fit_reduces_the_loss_and_is_deterministic() -> None:
    hist, model = _train(0)
    assert len(hist.train_loss) == len(hist.val_loss) == len(hist.val_acc) == 8
    assert hist.train_loss[-1] < 0.6 * hist.train_loss[0]
    assert hist.val_acc[-1] > 0.85
    again, _ = _train(0)
    assert again.train_loss == hist.train_loss
    X, y = _blobs(1)
    result = evaluate(model, make_loader(X, y, batch_size=50, shuffle=False))
    assert set(result) == {"loss", "acc"} and result["acc"] > 0.8
    assert model.training  # evaluate restores the mode


def test_fit_on_regression_has_no_accuracy() -> None:
    X, _ = _blobs()
    target = X.sum(axis=1, keepdims=True)  # (N, 1)
    model = MLP(2, [], 1)
    hist = fit(
        model,
        make_loader(X, target, batch_size=50, seed=0),
        epochs=5,
        optimizer=torch.optim.SGD(model.parameters(), lr=0.05),
        loss_fn=torch.nn.functional.mse_loss,
        progress=False,
    )
    assert hist.train_acc == [] and hist.train_loss[-1] < hist.train_loss[0]


def test_history_plot_is_headless(tmp_path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    hist = History(train_loss=[1.0, 0.5], val_loss=[1.1, 0.7], train_acc=[0.5, 0.8])
    ax = hist.plot()
    assert [line.get_label() for line in ax.get_lines()] == ["train", "validation"]
    hist.plot(metric="acc").figure.savefig(tmp_path / "acc.png")
    assert (tmp_path / "acc.png").stat().st_size > 0


def test_mlp_shapes_batchnorm_and_dropout() -> None:
    model = MLP(64, [32, 16], 10, dropout=0.5, batchnorm=True)
    assert model(torch.zeros(7, 64)).shape == (7, 10)
    assert model(torch.zeros(7, 1, 8, 8)).shape == (7, 10)  # images are flattened
    model.eval()
    x = torch.randn(3, 64)
    assert torch.equal(model(x), model(x))  # no dropout in eval mode
    with pytest.raises(ValueError, match="dropout"):
        MLP(2, [4], 2, dropout=1.0)


@pytest.mark.parametrize("size", [8, 28])
def test_lenet_shapes(size: int) -> None:
    model = LeNet(image_size=size)
    assert model(torch.zeros(5, 1, size, size)).shape == (5, 10)
    assert model(torch.zeros(5, size * size)).shape == (5, 10)
    with pytest.raises(ValueError, match="divisible by 4"):
        LeNet(image_size=10)


@pytest.mark.parametrize("cell", ["rnn", "gru", "lstm"])
def test_char_rnn_shapes_and_generation(cell: str) -> None:
    torch.manual_seed(0)
    model = CharRNN(CharRNNConfig(vocab_size=12, embed_dim=8, hidden_size=16, cell=cell))
    logits, _ = model(torch.zeros(4, 9, dtype=torch.long))
    assert logits.shape == (4, 9, 12)
    a = model.generate([1, 2, 3], 20, temperature=0.8, generator=torch.Generator().manual_seed(5))
    b = model.generate([1, 2, 3], 20, temperature=0.8, generator=torch.Generator().manual_seed(5))
    assert a.shape == (23,) and torch.equal(a, b) and a[:3].tolist() == [1, 2, 3]
    assert int(a.max()) < 12
    greedy = model.generate(torch.tensor([4]), 5, temperature=0)
    assert torch.equal(greedy, model.generate([4], 5, temperature=0))


def test_char_rnn_refuses_an_unknown_cell() -> None:
    with pytest.raises(ValueError, match="cell"):
        CharRNN(cell="transformer")


def test_lmschool_ml_does_not_import_torch_models_eagerly() -> None:
    import subprocess
    import sys

    code = "import sys, lmschool.ml; print('lmschool.ml.nn' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_docs_example_runs(tmp_path) -> None:
    import os
    import re
    import subprocess
    import sys

    from tests.conftest import ROOT

    text = (ROOT / "docs" / "ml-nn.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.run(
        [sys.executable, "-c", "\n\n".join(blocks)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "curve.png").stat().st_size > 0
