"""Tracks the epoch of the last improvement and stops when epoch - last_improvement reaches
patience, instead of keeping a counter."""


def early_stop_epoch(val_losses, patience, min_delta=0.0):
    losses = list(val_losses)
    if not losses:
        raise ValueError("no validation losses given")
    if patience < 1:
        raise ValueError(f"patience={patience}: it must be 1 or more")
    best_epoch = 0
    for epoch, loss in enumerate(losses):
        if epoch == 0:
            continue
        if loss < losses[best_epoch] - min_delta:
            best_epoch = epoch
        elif epoch - best_epoch >= patience:
            return best_epoch, epoch
    return best_epoch, len(losses) - 1
