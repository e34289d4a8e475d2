"""torch.nn.init's kaiming_normal_ and xavier_normal_ on an empty (fan_out, fan_in) tensor,
given a seeded generator."""

import torch
from torch import nn


def init_weights(fan_in, fan_out, scheme, seed):
    gen = torch.Generator()
    gen.manual_seed(int(seed))
    weight = torch.empty(fan_out, fan_in, dtype=torch.float32)
    if scheme == "he":
        # gain sqrt(2) for ReLU, fan_in of an (out, in) weight is its second dimension
        nn.init.kaiming_normal_(weight, mode="fan_in", nonlinearity="relu", generator=gen)
    elif scheme == "xavier":
        nn.init.xavier_normal_(weight, gain=1.0, generator=gen)
    else:
        raise ValueError(f"scheme must be 'he' or 'xavier', not {scheme!r}")
    return weight
