"""A small character GRU in torch (embedding 16, hidden 64), trained with Adam on padded batches
with a masked loss; symbol 0 is both the start input and the end output."""

import numpy as np
import torch
from torch import nn


class _CharGRU(nn.Module):
    def __init__(self, vocab, emb, hidden):
        super().__init__()
        self.embed = nn.Embedding(vocab, emb)
        self.gru = nn.GRU(emb, hidden, batch_first=True)
        self.out = nn.Linear(hidden, vocab)

    def forward(self, tokens, state=None):
        h, state = self.gru(self.embed(tokens), state)
        return self.out(h), state  # (B, T, V) logits


class NameModel:
    def __init__(self, emb=16, hidden=64, epochs=8, batch_size=32, lr=1e-2, seed=0):
        self.emb = emb
        self.hidden = hidden
        self.epochs = epochs
        self.batch_size = batch_size
        self.lr = lr
        self.seed = seed

    def _encode(self, name):
        return [self.index_[c] for c in name]

    def _batch(self, names):
        """Inputs [0, c1 .. cn], targets [c1 .. cn, 0], padded with -100 targets."""
        longest = max(len(n) for n in names) + 1
        inputs = torch.zeros(len(names), longest, dtype=torch.long)
        targets = torch.full((len(names), longest), -100, dtype=torch.long)
        for row, name in enumerate(names):
            ids = self._encode(name)
            inputs[row, 1 : len(ids) + 1] = torch.tensor(ids, dtype=torch.long)
            targets[row, : len(ids) + 1] = torch.tensor(ids + [0], dtype=torch.long)
        return inputs, targets

    def fit(self, names):
        torch.manual_seed(self.seed)
        self.letters_ = sorted(set("".join(names)))
        self.index_ = {c: i + 1 for i, c in enumerate(self.letters_)}
        self.net_ = _CharGRU(len(self.letters_) + 1, self.emb, self.hidden)
        opt = torch.optim.Adam(self.net_.parameters(), lr=self.lr)
        names = list(names)
        gen = np.random.default_rng(self.seed)
        for _ in range(self.epochs):
            order = gen.permutation(len(names))
            for start in range(0, len(names), self.batch_size):
                inputs, targets = self._batch(
                    [names[i] for i in order[start : start + self.batch_size]]
                )
                logits, _ = self.net_(inputs)
                loss = nn.functional.cross_entropy(
                    logits.reshape(-1, logits.shape[-1]), targets.reshape(-1)
                )
                opt.zero_grad()
                loss.backward()
                opt.step()
        self.net_.eval()
        return self

    def log_prob(self, names):
        if not hasattr(self, "net_"):
            raise RuntimeError("NameModel: call fit(names) first")
        names = list(names)
        result = np.zeros(len(names))
        with torch.no_grad():
            for start in range(0, len(names), 256):
                chunk = names[start : start + 256]
                inputs, targets = self._batch(chunk)
                logp = torch.log_softmax(self.net_(inputs)[0], dim=-1)  # (B, T, V)
                mask = targets >= 0
                picked = logp.gather(2, targets.clamp(min=0).unsqueeze(2)).squeeze(2)
                result[start : start + len(chunk)] = (picked * mask).sum(dim=1).double().numpy()
        return result

    def sample(self, n, seed):
        rng = np.random.default_rng(seed)
        names = []
        with torch.no_grad():
            for _ in range(n):
                token, state, letters = torch.zeros(1, 1, dtype=torch.long), None, []
                for _ in range(25):
                    logits, state = self.net_(token, state)
                    p = torch.softmax(logits[0, -1].double(), dim=0).numpy()
                    nxt = int(rng.choice(len(p), p=p / p.sum()))
                    if nxt == 0:
                        break
                    letters.append(self.letters_[nxt - 1])
                    token = torch.tensor([[nxt]])
                names.append("".join(letters))
        return names
