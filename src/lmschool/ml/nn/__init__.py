"""PyTorch helpers for the deep-learning module: loaders, a training loop, small models.

Unlike the rest of ``lmschool.ml`` this subpackage imports torch, so ``lmschool.ml``
never imports it for you: write ``from lmschool.ml.nn import fit, make_loader`` (or
the model files, ``from lmschool.ml.nn.mlp import MLP``) where torch is available.
Each model lives in its own file with a config dataclass and shape comments.
"""

from .char_rnn import CharRNN, CharRNNConfig
from .data import make_loader
from .lenet import LeNet, LeNetConfig
from .mlp import MLP, MLPConfig
from .train import History, evaluate, fit

__all__ = [
    "MLP",
    "CharRNN",
    "CharRNNConfig",
    "History",
    "LeNet",
    "LeNetConfig",
    "MLPConfig",
    "evaluate",
    "fit",
    "make_loader",
]
