"""Counts a loss equal to best - min_delta as an improvement (<= instead of <)."""


def early_stop_epoch(val_losses, patience, min_delta=0.0):
    if len(val_losses) == 0 or patience < 1:
        raise ValueError("bad input")
    best, best_epoch, wait = val_losses[0], 0, 0
    for epoch in range(1, len(val_losses)):
        if val_losses[epoch] <= best - min_delta:
            best, best_epoch, wait = val_losses[epoch], epoch, 0
        else:
            wait += 1
            if wait == patience:
                return best_epoch, epoch
    return best_epoch, len(val_losses) - 1
