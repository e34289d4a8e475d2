def receptive_field(layers):
    """Receptive field (in input pixels, along one axis) of one output unit of a stack.

    layers: a list of (kernel, stride) pairs, first layer first (convolutions and poolings
    alike; padding does not change the size). An empty stack sees 1 pixel.
    """
    size = 1  # what one unit of the current layer sees of the input
    jump = 1  # distance, in input pixels, between neighbouring units of the current layer
    for kernel, stride in layers:
        size += (kernel - 1) * jump  # k neighbouring units of the layer below, jump apart
        jump *= stride
    return size
