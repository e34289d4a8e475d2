"""A character-level language model: embedding -> RNN/GRU/LSTM -> next-character logits.

    idx (B, T) integer character ids
      -> Embedding(V, E)                 (B, T, E)
      -> RNN/GRU/LSTM, n_layers          (B, T, H), state h_T (and c_T for LSTM)
      -> Linear(H, V)                    (B, T, V) logits for the NEXT character

Train with targets = idx shifted by one: loss = cross_entropy(logits.view(-1, V),
targets.view(-1)). generate() feeds its own samples back in, one character at a time,
carrying the hidden state so that the context is not recomputed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch
from torch import nn
from torch.nn import functional as F

CELLS = {"rnn": nn.RNN, "gru": nn.GRU, "lstm": nn.LSTM}


@dataclass
class CharRNNConfig:
    vocab_size: int = 65  # V: distinct characters
    embed_dim: int = 32  # E: a learned vector per character (instead of one-hot)
    hidden_size: int = 128  # H: the recurrent state, the model's only memory of the past
    n_layers: int = 1  # stacked recurrent layers
    cell: str = "gru"  # "rnn" (tanh; vanishing gradients), "gru" or "lstm" (gated)
    dropout: float = 0.0  # between stacked layers (PyTorch ignores it for n_layers = 1)


class CharRNN(nn.Module):
    def __init__(self, config: CharRNNConfig | None = None, **overrides: object) -> None:
        super().__init__()
        config = config or CharRNNConfig()
        if overrides:
            config = CharRNNConfig(**{**vars(config), **overrides})
        if config.cell not in CELLS:
            raise ValueError(f"cell must be one of {sorted(CELLS)}, got {config.cell!r}")
        self.config = config
        self.embed = nn.Embedding(config.vocab_size, config.embed_dim)
        self.rnn = CELLS[config.cell](
            config.embed_dim,
            config.hidden_size,
            num_layers=config.n_layers,
            batch_first=True,  # tensors are (B, T, ...), as everywhere else in the course
            dropout=config.dropout if config.n_layers > 1 else 0.0,
        )
        self.head = nn.Linear(config.hidden_size, config.vocab_size)

    def forward(self, idx: torch.Tensor, state: object = None) -> tuple[torch.Tensor, object]:
        """Logits (B, T, V) for the character after each position, and the final state."""
        if idx.ndim == 1:
            idx = idx.unsqueeze(0)  # (T,) -> (1, T)
        x = self.embed(idx.long())  # (B, T, E)
        out, state = self.rnn(x, state)  # (B, T, H); state: (L, B, H) or a pair for LSTM
        return self.head(out), state  # (B, T, V)

    @torch.no_grad()
    def generate(
        self,
        start: Sequence[int] | torch.Tensor,
        n: int,
        temperature: float = 1.0,
        generator: torch.Generator | None = None,
    ) -> torch.Tensor:
        """Continue ``start`` (character ids) by ``n`` sampled ids; returns all of them (1-D).

        temperature < 1 sharpens the distribution (safer, more repetitive text), > 1
        flattens it; temperature = 0 takes the most likely character (greedy). Pass a
        seeded torch.Generator to get the same text every time.
        """
        start = torch.as_tensor(start, dtype=torch.long).flatten()
        if len(start) == 0:
            raise ValueError("start must hold at least one character id")
        if temperature < 0:
            raise ValueError(f"temperature must be >= 0, got {temperature}")
        was_training = self.training
        self.eval()  # no dropout while sampling
        out = [int(i) for i in start]
        logits, state = self(start.unsqueeze(0))  # read the prompt once: (1, T, V)
        for _ in range(int(n)):
            last = logits[0, -1]  # (V,) scores for the next character
            if temperature == 0:
                nxt = int(last.argmax())
            else:
                probs = F.softmax(last / temperature, dim=-1)
                nxt = int(torch.multinomial(probs, 1, generator=generator))
            out.append(nxt)
            logits, state = self(torch.tensor([[nxt]]), state)  # one step, state carried over
        self.train(was_training)
        return torch.tensor(out, dtype=torch.long)
