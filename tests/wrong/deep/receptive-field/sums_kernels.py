"""Adds up the kernel sizes, forgetting that neighbouring windows overlap."""


def receptive_field(layers):
    if not layers:
        return 1
    return sum(kernel for kernel, _stride in layers)
