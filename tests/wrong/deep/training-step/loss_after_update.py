"""Records the loss after the update instead of the loss the gradient came from."""

import torch
import torch.nn.functional as F


def _loss(params, X, y):
    logits = torch.relu(X @ params["W1"] + params["b1"]) @ params["W2"] + params["b2"]
    return F.cross_entropy(logits, y)


def sgd_train(weights, batches, lr):
    params = {k: w.clone().requires_grad_(True) for k, w in weights.items()}
    losses = []
    for X, y in batches:
        _loss(params, X, y).backward()
        with torch.no_grad():
            for p in params.values():
                p -= lr * p.grad
                p.grad.zero_()
            losses.append(_loss(params, X, y).item())
    return {k: p.detach() for k, p in params.items()}, losses
