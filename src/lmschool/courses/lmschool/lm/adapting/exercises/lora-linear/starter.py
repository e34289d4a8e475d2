"""A LoRA linear layer: a frozen nn.Linear plus a trainable low-rank update."""

import math  # noqa: F401 (for the initialisation of A)

import torch
from torch import nn


class LoRALinear(nn.Module):
    def __init__(self, base, r, alpha):
        super().__init__()
        # TODO: keep base as self.base and freeze its parameters;
        # self.scaling = alpha / r; self.A (r, in_features) random; self.B (out_features, r) zeros
        raise NotImplementedError("LoRALinear.__init__: write your code here")

    def forward(self, x):
        # TODO: base(x) + scaling * x A^T B^T
        raise NotImplementedError("LoRALinear.forward: write your code here")

    def merge(self):
        # TODO: a NEW nn.Linear with weight W + scaling * B A and the base's bias
        raise NotImplementedError("LoRALinear.merge: write your code here")


# --- given: the checks build and train your layer through these three functions ------


def lora_wrap(weight, bias, r, alpha):
    """An nn.Linear holding weight (out, in) and bias (out,), wrapped by your LoRALinear."""
    base = nn.Linear(weight.shape[1], weight.shape[0])
    with torch.no_grad():
        base.weight.copy_(torch.as_tensor(weight, dtype=torch.float32))
        base.bias.copy_(torch.as_tensor(bias, dtype=torch.float32))
    return LoRALinear(base, r, alpha)


def sgd_step(layer, x, target, lr):
    """One step of plain SGD on the mean squared error, over ALL of layer.parameters().

    A frozen parameter gets no gradient, and SGD skips parameters without one.
    """
    opt = torch.optim.SGD(layer.parameters(), lr=lr)
    loss = ((layer(torch.as_tensor(x)) - torch.as_tensor(target)) ** 2).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    return loss.item()


def parameters(layer):
    """{name: (value, requires_grad)} for every parameter of the layer."""
    return {name: (p.detach().clone(), p.requires_grad) for name, p in layer.named_parameters()}
