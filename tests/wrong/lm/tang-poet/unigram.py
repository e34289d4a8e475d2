"""A unigram model: the next character does not depend on the context at all."""

import re
from collections import Counter, defaultdict

import numpy as np

END, UNK = "\n", "□"


class PoetModel:
    def __init__(self, discount=0.75):
        self.discount = discount

    def fit(self, poems, vocab):
        self.vocab_ = list(vocab)
        self.index_ = {t: i for i, t in enumerate(self.vocab_)}
        V = len(self.vocab_)
        uni = np.zeros(V)
        bi = np.zeros((V, V), dtype=np.float32)
        tri = defaultdict(Counter)
        for poem in poems:
            ids = [0, 0] + [self.index_[c] for c in poem] + [0]
            for a, b, c in zip(ids, ids[1:], ids[2:], strict=False):
                uni[c] += 1
                bi[b, c] += 1
                tri[a, b][c] += 1
        d = self.discount
        self.p1_ = (uni + 0.5) / (uni + 0.5).sum()
        rows = bi.sum(1, keepdims=True)
        types = (bi > 0).sum(1, keepdims=True)
        with np.errstate(invalid="ignore", divide="ignore"):
            p2 = np.maximum(bi - d, 0) / rows + d * types / rows * self.p1_
        self.p2_ = np.where(rows > 0, p2, self.p1_).astype(np.float32)
        self.tri_ = {
            k: (np.array(list(c.keys())), np.array(list(c.values()), dtype=np.float64))
            for k, c in tri.items()
        }
        self.letters_ = np.array([len(t) == 1 and t.isalpha() for t in self.vocab_]) | (
            np.array(self.vocab_) == UNK
        )
        self.marks_ = {m: np.array([t == m for t in self.vocab_]) for m in "，。"}
        self.end_ = np.array([t == END for t in self.vocab_])
        return self

    def _probs(self, text):
        return self.p1_.copy()  # how frequent each token is, whatever came before

    def _allowed(self, text):
        """What the form allows next (□ counts as a character; at position 5 both forms are open)."""
        first = re.search("[，。]", text)
        n = first.start() if first else None
        if n is None:
            if len(text) < 5:
                return self.letters_
            if len(text) == 5:
                return self.letters_ | self.marks_["，"]
            if len(text) == 6:
                return self.letters_
            return self.marks_["，"]
        line, col = divmod(len(text), n + 1)
        if line >= 4:
            return self.end_
        if col < n:
            return self.letters_
        return self.marks_["，" if line % 2 == 0 else "。"]

    def next_log_probs(self, contexts):
        if not hasattr(self, "p2_"):
            raise RuntimeError("PoetModel is not fitted yet")
        out = np.stack([self._probs(c) for c in contexts])
        out /= out.sum(1, keepdims=True)
        with np.errstate(divide="ignore"):
            return np.log(out).astype(np.float32)

    def write(self, form, seed=0):
        rng = np.random.default_rng(seed)
        lines = [(int(n), m) for n, m in re.findall(r"(\d+)(\D)", form)]
        text = ""
        for n, m in lines:
            for _ in range(n):
                p = self._probs(text) * np.array([len(t) == 1 and t.isalpha() for t in self.vocab_])
                text += self.vocab_[int(rng.choice(len(p), p=p / p.sum()))]
            text += m
        return text
