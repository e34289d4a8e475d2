"""lmschool.ml.nn.lora: LoRA on a frozen model, merging, parameter counts."""

from __future__ import annotations

import copy

import pytest

torch = pytest.importorskip("torch")

from torch import nn  # noqa: E402

from lmschool.ml.nn.gpt import GPT, GPTConfig  # noqa: E402
from lmschool.ml.nn.lora import LoRALinear, apply_lora, count_parameters, merge_lora  # noqa: E402


def _gpt(seed: int = 0) -> GPT:
    torch.manual_seed(seed)
    return GPT(GPTConfig(vocab_size=40, block_size=16, n_layer=2, n_head=2, n_embd=32))


def _train_a_little(model: nn.Module, steps: int = 5) -> None:
    g = torch.Generator().manual_seed(1)
    opt = torch.optim.SGD([p for p in model.parameters() if p.requires_grad], lr=0.5)
    for _ in range(steps):
        idx = torch.randint(0, 40, (4, 16), generator=g)
        loss = model(idx[:, :-1], idx[:, 1:])[1]
        opt.zero_grad()
        loss.backward()
        opt.step()


def test_a_fresh_adapter_is_the_base_model_exactly() -> None:
    base = _gpt()
    adapted = apply_lora(copy.deepcopy(base), r=4, alpha=8)
    idx = torch.randint(0, 40, (3, 16), generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        assert torch.equal(adapted(idx)[0], base(idx)[0])  # B = 0: not close, equal
    for m in adapted.modules():
        if isinstance(m, LoRALinear):
            assert torch.count_nonzero(m.lora_B) == 0 and torch.count_nonzero(m.lora_A) > 0


def test_only_adapter_parameters_require_grad() -> None:
    model = apply_lora(_gpt(), r=2, alpha=4, targets=("c_attn",))
    trainable = {n for n, p in model.named_parameters() if p.requires_grad}
    assert trainable == {
        f"blocks.{i}.attn.c_attn.{ab}" for i in (0, 1) for ab in ("lora_A", "lora_B")
    }
    C, r = 32, 2
    assert count_parameters(model) == (2 * r * (C + 3 * C), _gpt().num_params() + 2 * r * 4 * C)


def test_training_moves_only_the_adapters() -> None:
    model = apply_lora(_gpt(), r=4, alpha=8)
    frozen = {n: p.detach().clone() for n, p in model.named_parameters() if not p.requires_grad}
    _train_a_little(model)
    for name, before in frozen.items():
        assert torch.equal(dict(model.named_parameters())[name], before), name
    assert any(
        torch.count_nonzero(m.lora_B) > 0 for m in model.modules() if isinstance(m, LoRALinear)
    )


def test_merge_gives_the_same_function_and_the_base_size() -> None:
    model = apply_lora(_gpt(), r=4, alpha=8)
    _train_a_little(model)
    idx = torch.randint(0, 40, (3, 16), generator=torch.Generator().manual_seed(2))
    with torch.no_grad():
        before = model(idx)[0]
    merged = merge_lora(copy.deepcopy(model))
    with torch.no_grad():
        after = merged(idx)[0]
    torch.testing.assert_close(after, before, rtol=1e-5, atol=1e-5)
    assert not any(isinstance(m, LoRALinear) for m in merged.modules())
    assert count_parameters(merged)[1] == _gpt().num_params() == merged.num_params()


def test_lora_linear_formula_scale_and_merge() -> None:
    torch.manual_seed(0)
    base = nn.Linear(6, 5)
    layer = LoRALinear(base, r=3, alpha=12)
    assert layer.scaling == 4.0
    with torch.no_grad():
        layer.lora_B.normal_()
    x = torch.randn(7, 6)
    want = x @ base.weight.T + base.bias + 4.0 * (x @ layer.lora_A.T) @ layer.lora_B.T
    torch.testing.assert_close(layer(x), want)
    merged = layer.merge()
    assert type(merged) is nn.Linear and not merged.weight.requires_grad
    torch.testing.assert_close(merged.weight, base.weight + 4.0 * layer.lora_B @ layer.lora_A)
    torch.testing.assert_close(merged(x), layer(x), rtol=1e-5, atol=1e-6)
    torch.testing.assert_close(layer(x), want)  # merging left the adapter as it was


def test_targets_match_the_end_of_a_name_and_are_checked() -> None:
    model = apply_lora(_gpt(), r=2, alpha=2, targets=("attn.c_proj",))
    wrapped = {n for n, m in model.named_modules() if isinstance(m, LoRALinear)}
    assert wrapped == {"blocks.0.attn.c_proj", "blocks.1.attn.c_proj"}  # not mlp.c_proj
    with pytest.raises(ValueError, match="no nn.Linear named like"):
        apply_lora(_gpt(), targets=("q_proj",))
    with pytest.raises(ValueError, match="positive integer"):
        LoRALinear(nn.Linear(3, 3), r=0)
    with pytest.raises(TypeError):
        LoRALinear(nn.Conv1d(3, 3, 1), r=1)  # type: ignore[arg-type]
