"""Train a two-layer MLP with mini-batch SGD, using autograd for the gradients."""

import torch  # noqa: F401 (what you will need)
import torch.nn.functional as F  # noqa: F401


def sgd_train(weights, batches, lr):
    """Run one SGD step per batch and return the new weights and the losses.

    weights: dict with float32 tensors "W1" (D, H), "b1" (H,), "W2" (H, C), "b2" (C,).
    batches: list of (X, y): X float32 (B, D), y int64 class indices (B,).
    lr: the learning rate.

    The model is logits = relu(X @ W1 + b1) @ W2 + b2, the loss the mean cross-entropy
    of the logits (F.cross_entropy). For each batch in order: compute the loss, call
    backward(), update every weight by w <- w - lr * grad.

    Returns (new_weights, losses): a dict with the same keys and shapes, and a list of
    floats, the loss of each batch computed BEFORE its update.
    """
    # TODO: copy the weights into tensors with requires_grad=True, then loop over the batches
    raise NotImplementedError("sgd_train: write your code here")
