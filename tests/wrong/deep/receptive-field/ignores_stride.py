"""Ignores the strides: adds kernel - 1 per layer as if every stride were 1."""


def receptive_field(layers):
    size = 1
    for kernel, _stride in layers:
        size += kernel - 1
    return size
