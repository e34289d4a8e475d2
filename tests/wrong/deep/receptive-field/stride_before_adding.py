"""Multiplies the jump by the layer's own stride before adding that layer's kernel."""


def receptive_field(layers):
    size, jump = 1, 1
    for kernel, stride in layers:
        jump *= stride
        size += (kernel - 1) * jump
    return size
