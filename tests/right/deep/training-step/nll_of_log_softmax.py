"""Loss written as nll_loss(log_softmax(logits)), gradients cleared by setting .grad = None,
the update done with Tensor.sub_ under no_grad."""

import torch
import torch.nn.functional as F


def sgd_train(weights, batches, lr):
    w = {}
    for key, tensor in weights.items():
        leaf = tensor.clone().detach()
        leaf.requires_grad = True
        w[key] = leaf
    history = []
    for X, y in batches:
        for leaf in w.values():
            leaf.grad = None
        logits = F.relu(X @ w["W1"] + w["b1"]) @ w["W2"] + w["b2"]
        loss = F.nll_loss(F.log_softmax(logits, dim=1), y, reduction="mean")
        loss.backward()
        history.append(loss.detach().item())
        with torch.no_grad():
            for leaf in w.values():
                leaf.sub_(lr * leaf.grad)
    return {key: leaf.detach() for key, leaf in w.items()}, history
