"""Early stopping: when to stop training, and which epoch's weights to keep."""


def early_stop_epoch(val_losses, patience, min_delta=0.0):
    """Replay early stopping on a list of validation losses.

    val_losses[i] is the validation loss after epoch i (epochs count from 0).
    An epoch improves when its loss is below (best loss so far) - min_delta.
    Training stops at the epoch that makes `patience` epochs in a row without
    improvement; if that never happens it runs to the last epoch.

    Returns (best_epoch, stop_epoch): the epoch whose weights are restored (the last
    improvement before stopping) and the epoch at which training stopped.
    Raises ValueError for an empty list or patience < 1.
    """
    # TODO: track the best loss, its epoch, and a counter of epochs without improvement
    raise NotImplementedError("early_stop_epoch: write your code here")
