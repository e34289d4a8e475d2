"""Walks the stack from the last layer back to the input: r <- (r - 1) * stride + kernel."""


def receptive_field(layers):
    r = 1
    for kernel, stride in reversed(list(layers)):
        # r units of this layer's output come from (r - 1) * stride + kernel inputs
        r = (r - 1) * stride + kernel
    return int(r)
