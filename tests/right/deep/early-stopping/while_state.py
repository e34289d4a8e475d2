"""A while loop over an explicit state dict, using NumPy for the loss array."""

import numpy as np


def early_stop_epoch(val_losses, patience, min_delta=0.0):
    losses = np.asarray(val_losses, dtype=float)
    if losses.size == 0 or patience < 1:
        raise ValueError("need at least one loss and patience >= 1")
    state = {"best": losses[0], "best_epoch": 0, "bad": 0}
    epoch = 0
    while epoch + 1 < losses.size and state["bad"] < patience:
        epoch += 1
        if losses[epoch] < state["best"] - min_delta:
            state.update(best=losses[epoch], best_epoch=epoch, bad=0)
        else:
            state["bad"] += 1
    return int(state["best_epoch"]), int(epoch)
