import torch


def linear_forward(x: torch.Tensor, w: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """x (N, D_in), w (D_out, D_in), b (D_out,) -> x @ w.T + b, shape (N, D_out)."""
    return x @ w.T + b  # (N, D_in) @ (D_in, D_out) + (D_out,) -> (N, D_out)
