"""Reference: mini-batch SGD on a two-layer MLP, with autograd doing the backward pass."""

import torch
import torch.nn.functional as F


def sgd_train(weights, batches, lr):
    # 1) fresh leaf tensors that autograd tracks (never modify the caller's tensors)
    params = {k: w.detach().clone().requires_grad_(True) for k, w in weights.items()}
    losses = []
    for X, y in batches:
        # 2) forward: (B, D) -> (B, H) -> (B, C) logits; cross_entropy applies log-softmax itself
        h = torch.relu(X @ params["W1"] + params["b1"])
        logits = h @ params["W2"] + params["b2"]
        loss = F.cross_entropy(logits, y)  # mean over the batch
        # 3) backward: fills .grad of every leaf
        loss.backward()
        # 4) update outside the graph, then clear the gradients for the next batch
        with torch.no_grad():
            for p in params.values():
                p -= lr * p.grad
                p.grad.zero_()
        losses.append(loss.item())
    return {k: p.detach() for k, p in params.items()}, losses
