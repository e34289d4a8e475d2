"""Merges by adding B A into the base weight in place and returning the base layer."""

import math

import torch
from torch import nn


class LoRALinear(nn.Module):
    def __init__(self, base, r, alpha):
        super().__init__()
        self.base = base
        for p in self.base.parameters():
            p.requires_grad_(False)  # 1) the pretrained weights never change
        self.scaling = alpha / r  # 2) the update's scale
        self.A = nn.Parameter(torch.empty(r, base.in_features))  # 3) A random, B zero
        nn.init.kaiming_uniform_(self.A, a=math.sqrt(5))
        self.B = nn.Parameter(torch.zeros(base.out_features, r))

    def forward(self, x):
        # (..., in) -> (..., r) -> (..., out); the (out, in) product B A is never formed
        return self.base(x) + self.scaling * ((x @ self.A.T) @ self.B.T)

    @torch.no_grad()
    def merge(self):
        self.base.weight += self.scaling * (self.B @ self.A)
        return self.base


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
