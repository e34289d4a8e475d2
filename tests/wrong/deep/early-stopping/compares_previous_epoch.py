"""Compares each loss with the previous epoch's instead of the best so far."""


def early_stop_epoch(val_losses, patience, min_delta=0.0):
    if len(val_losses) == 0 or patience < 1:
        raise ValueError("bad input")
    best_epoch, wait = 0, 0
    for epoch in range(1, len(val_losses)):
        if val_losses[epoch] < val_losses[epoch - 1] - min_delta:
            best_epoch, wait = epoch, 0
        else:
            wait += 1
            if wait == patience:
                return best_epoch, epoch
    return best_epoch, len(val_losses) - 1
