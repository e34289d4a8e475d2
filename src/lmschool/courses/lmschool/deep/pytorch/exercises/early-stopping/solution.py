"""Reference: early stopping with patience and a minimum improvement."""


def early_stop_epoch(val_losses, patience, min_delta=0.0):
    if len(val_losses) == 0:
        raise ValueError("val_losses is empty: there is no epoch to choose")
    if patience < 1:
        raise ValueError("patience must be at least 1")
    best, best_epoch, wait = val_losses[0], 0, 0
    for epoch in range(1, len(val_losses)):
        if val_losses[epoch] < best - min_delta:  # a real improvement over the BEST so far
            best, best_epoch, wait = val_losses[epoch], epoch, 0
        else:
            wait += 1
            if wait == patience:  # `patience` epochs in a row without improvement
                return best_epoch, epoch
    return best_epoch, len(val_losses) - 1
