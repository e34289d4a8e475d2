"""PyTorch helpers for the deep-learning module: loaders, a training loop, small models.

Unlike the rest of ``lmschool.ml`` this subpackage imports torch, so ``lmschool.ml``
never imports it for you: write ``from lmschool.ml.nn import fit, make_loader`` (or
the model files, ``from lmschool.ml.nn.mlp import MLP``) where torch is available.
Each model lives in its own file with a config dataclass and shape comments.
"""

from .attention import (
    MultiHeadAttention,
    apply_rotary,
    attention_weights,
    causal_mask,
    scaled_dot_product_attention,
    sinusoidal_positions,
)
from .char_rnn import CharRNN, CharRNNConfig
from .data import make_loader
from .gpt import GPT, GPTConfig, KVCache, param_count
from .lenet import LeNet, LeNetConfig
from .lm import (
    LMHistory,
    configure_adamw,
    cosine_lr,
    estimate_loss,
    get_batch,
    train_lm,
    train_lm_steps,
)
from .lora import LoRALinear, apply_lora, count_parameters, merge_lora
from .mlp import MLP, MLPConfig
from .sampling import sample_next, top_k_filter, top_p_filter
from .train import History, evaluate, fit

__all__ = [
    "GPT",
    "MLP",
    "CharRNN",
    "CharRNNConfig",
    "GPTConfig",
    "History",
    "KVCache",
    "LeNet",
    "LeNetConfig",
    "MLPConfig",
    "evaluate",
    "fit",
    "make_loader",
    "param_count",
    "sample_next",
    "top_k_filter",
    "top_p_filter",
    "LMHistory",
    "MultiHeadAttention",
    "apply_rotary",
    "attention_weights",
    "causal_mask",
    "configure_adamw",
    "cosine_lr",
    "estimate_loss",
    "get_batch",
    "scaled_dot_product_attention",
    "sinusoidal_positions",
    "train_lm",
    "train_lm_steps",
    "LoRALinear",
    "apply_lora",
    "count_parameters",
    "merge_lora",
]
