def receptive_field(layers):
    """Receptive field (in input pixels, along one axis) of one output unit of a stack.

    layers: a list of (kernel, stride) pairs, first layer first (convolutions and poolings
    alike; padding does not change the size). An empty stack sees 1 pixel.
    """
    # TODO: walk through the layers, keeping the current size and the current "jump"
    # (the distance in input pixels between neighbouring units).
    raise NotImplementedError("receptive_field: write your code here")
