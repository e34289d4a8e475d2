"""torch.optim.SGD does the update and zero_grad; the model is F.linear-free matrix algebra
with addmm."""

import torch
import torch.nn.functional as F


def sgd_train(weights, batches, lr):
    names = ("W1", "b1", "W2", "b2")
    params = [weights[k].detach().clone().requires_grad_() for k in names]
    W1, b1, W2, b2 = params
    optimizer = torch.optim.SGD(params, lr=lr)
    losses = []
    for X, y in batches:
        optimizer.zero_grad()
        hidden = torch.relu(torch.addmm(b1, X, W1))
        loss = F.cross_entropy(torch.addmm(b2, hidden, W2), y)
        losses.append(float(loss))
        loss.backward()
        optimizer.step()
    return {k: p.detach().clone() for k, p in zip(names, params, strict=True)}, losses
