import torch  # noqa: F401


def apply_rotary(x, positions, base=10000.0):
    """Rotary position embedding: rotate each pair (x[2i], x[2i+1]) of the vector at
    position p by the angle p * base ** (-2i / d).

    x: (..., T, d) with d even; positions: (T,) integer positions. Returns (..., T, d).
    """
    # TODO: one frequency per pair, angles = positions x frequencies, rotate every pair.
    raise NotImplementedError("apply_rotary: write your code here")
