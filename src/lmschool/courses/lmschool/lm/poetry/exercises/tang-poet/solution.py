"""Reference for lm/poetry/tang-poet: a one-layer character GPT, sampled under the form's mask.

fit trains ``lmschool.ml.nn.gpt.GPT`` (1 layer, 48 wide, 3 heads, context 33) on whole
poems, each read as END + poem + END, for 700 AdamW steps of 32 poems (warm-up, then
cosine decay): about 25 s of one CPU thread. write() samples one token at a time and
masks every token the form does not allow next, so every poem is valid by construction.
"""

import math
import re

import numpy as np
import torch
from torch.nn import functional as F

from lmschool.ml.nn.gpt import GPT

END, UNK = "\n", "□"
T_MAX = 33  # END + the 32 characters of a 七言绝句 (its punctuation included)


def allowed_next(text, form, vocab):
    """Boolean mask over vocab: the tokens that may follow text in a poem of this form."""
    lines = [(int(n), mark) for n, mark in re.findall(r"(\d+)(\D)", form)]
    letters = np.array([len(t) == 1 and t.isalpha() for t in vocab])  # never END or UNK
    pos = 0
    for n, mark in lines:
        line = text[pos : pos + n + 1]
        if len(line) < n:
            return letters
        if len(line) == n:
            return np.array([t == mark for t in vocab])
        pos += n + 1
    return np.array([t == END for t in vocab])


class PoetModel:
    def __init__(self, n_embd=48, n_layer=1, n_head=3, steps=700, batch_size=32, lr=1e-2, seed=0):
        self.n_embd = n_embd
        self.n_layer = n_layer
        self.n_head = n_head
        self.steps = steps
        self.batch_size = batch_size
        self.lr = lr
        self.seed = seed

    def _ids(self, text):
        return [self.stoi_[c] for c in text]

    def fit(self, poems, vocab):
        self.vocab_ = list(vocab)
        self.stoi_ = {t: i for i, t in enumerate(self.vocab_)}
        # 1) every poem as one row: x = END + poem, y = poem + END; -1 marks padding
        X = torch.zeros(len(poems), T_MAX, dtype=torch.long)
        Y = torch.full((len(poems), T_MAX), -1, dtype=torch.long)
        for i, poem in enumerate(poems):
            ids = self._ids(END + poem + END)
            X[i, : len(ids) - 1] = torch.tensor(ids[:-1])
            Y[i, : len(ids) - 1] = torch.tensor(ids[1:])
        torch.manual_seed(self.seed)
        self.model_ = GPT(
            vocab_size=len(self.vocab_),
            block_size=T_MAX,
            n_layer=self.n_layer,
            n_head=self.n_head,
            n_embd=self.n_embd,
        )
        opt = self.model_.configure_optimizer(lr=self.lr, weight_decay=0.01)
        gen = torch.Generator().manual_seed(self.seed)
        warmup = 20
        for step in range(self.steps):
            # 2) warm-up, then cosine decay to a tenth of the peak
            if step < warmup:
                lr = self.lr * (step + 1) / warmup
            else:
                r = (step - warmup) / max(1, self.steps - warmup)
                lr = self.lr * (0.1 + 0.45 * (1 + math.cos(math.pi * r)))
            for group in opt.param_groups:
                group["lr"] = lr
            rows = torch.randint(len(poems), (self.batch_size,), generator=gen)
            logits, _ = self.model_(X[rows])  # (B, T, V)
            loss = F.cross_entropy(
                logits.reshape(-1, logits.shape[-1]), Y[rows].reshape(-1), ignore_index=-1
            )
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
        self.model_.eval()
        return self

    @torch.no_grad()
    def next_log_probs(self, contexts):
        if not hasattr(self, "model_"):
            raise RuntimeError("PoetModel is not fitted yet: call fit(poems, vocab) first")
        out = np.zeros((len(contexts), len(self.vocab_)), dtype=np.float32)
        by_length = {}
        for i, text in enumerate(contexts):
            by_length.setdefault(len(text), []).append(i)
        for rows in by_length.values():  # contexts of one length: one batch, no padding
            idx = torch.tensor([self._ids(END + contexts[i]) for i in rows])  # (n, 1 + length)
            logits, _ = self.model_(idx[:, -T_MAX:])
            out[rows] = F.log_softmax(logits[:, -1], dim=-1).numpy()
        return out

    def write(self, form, seed=0):
        if not hasattr(self, "model_"):
            raise RuntimeError("PoetModel is not fitted yet: call fit(poems, vocab) first")
        gen = torch.Generator().manual_seed(int(seed))

        def allowed(ids):  # ids: END + the poem so far
            text = "".join(self.vocab_[i] for i in ids[1:])
            return torch.from_numpy(allowed_next(text, form, self.vocab_))

        length = sum(int(n) + 1 for n in re.findall(r"\d+", form))
        ids = self.model_.generate(
            [self.stoi_[END]], length, temperature=0.8, generator=gen, allowed=allowed
        )
        return "".join(self.vocab_[i] for i in ids[1:].tolist())
