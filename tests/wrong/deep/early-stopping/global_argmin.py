"""Returns the best epoch of the whole list, ignoring that training stopped earlier."""


def early_stop_epoch(val_losses, patience, min_delta=0.0):
    if len(val_losses) == 0 or patience < 1:
        raise ValueError("bad input")
    best_epoch = min(range(len(val_losses)), key=lambda i: val_losses[i])
    return best_epoch, len(val_losses) - 1
