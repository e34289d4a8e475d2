"""A fast character n-gram model for the capstone's grading: interpolated Kneser-Ney in NumPy.

The labs' checks use it for the baselines they quote (unigram, trigram) and to score
the grader's own reference on the learner's hidden text when a submission fails; the
benchmark (bench/lm_capstone.py) uses it for the reference over many seeds. The
reference solution of every lab carries its own copy (the sandbox cannot import this
folder). Learners never see this file.

An n-gram of k characters is one integer, sum_j x_j V^(k-1-j), so counting every k-gram
of a text is one ``np.unique``; a context's continuations are a contiguous run of the
sorted keys. With discount D per order (Ney's estimate n1 / (n1 + 2 n2)):

    P_k(w | h) = max(c(h w) - D, 0) / c(h) + D N1+(h .) / c(h) * P_{k-1}(w | h')

where c counts occurrences at the top order and distinct left extensions (continuation
counts) below it, and P_0 is uniform. A context never seen keeps the lower order.
"""

from __future__ import annotations

import numpy as np


class KneserNey:
    """``fit(text, alphabet)``; ``log_probs(contexts)`` -> (N, V) natural logs, rows sum to 1."""

    def __init__(self, order: int = 6):
        self.order = order

    def fit(self, text: str, alphabet: str) -> KneserNey:
        V = len(alphabet)
        if self.order < 1 or V ** (self.order) >= 2**62:
            raise ValueError(f"order {self.order} is out of range for {V} symbols")
        self.alphabet_, self.V_ = alphabet, V
        self.lut_ = np.full(max(map(ord, alphabet)) + 2, -1, np.int64)  # code point -> id
        self.lut_[[ord(c) for c in alphabet]] = np.arange(V)
        x = self._codes(text)
        keys = []
        g = x.copy()
        for k in range(1, self.order + 1):  # all k-grams as base-V integers
            if k > 1:
                g = g[:-1] * V + x[k - 1 :]
            keys.append(np.unique(g, return_counts=True))
        self.tables_ = []
        for k in range(1, self.order + 1):
            if k == self.order:
                u, c = keys[k - 1]
            else:  # continuation counts: in how many contexts one longer each k-gram appears
                u, c = np.unique(keys[k][0] % V**k, return_counts=True)
            c = c.astype(np.float64)
            n1, n2 = np.sum(c == 1), np.sum(c == 2)
            d = float(np.clip(n1 / (n1 + 2 * n2) if n1 + 2 * n2 else 0.5, 0.05, 0.95))
            hs, start, distinct = np.unique(u // V, return_index=True, return_counts=True)
            total = np.add.reduceat(c, start)
            self.tables_.append((u % V, np.maximum(c - d, 0.0), hs, start, distinct, total, d))
        return self

    def _codes(self, text: str) -> np.ndarray:
        points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
        codes = self.lut_[np.minimum(points, len(self.lut_) - 1)]  # the last entry is -1
        if np.any(codes < 0):
            bad = sorted({c for c in text if c not in self.alphabet_})[:5]
            raise ValueError(f"characters {bad} are not in the alphabet")
        return codes

    def log_probs(self, contexts: list[str]) -> np.ndarray:
        V, m_max = self.V_, self.order - 1
        N = len(contexts)
        H = np.full((N, max(m_max, 1)), -1, dtype=np.int64)  # last m_max codes, -1 = none
        for r, s in enumerate(contexts):
            tail = s[max(0, len(s) - m_max) :] if m_max else ""
            if tail:
                H[r, m_max - len(tail) :] = self._codes(tail)
        p = np.full((N, V), 1.0 / V)
        for m, (w, disc, hs, start, distinct, total, d) in enumerate(self.tables_):
            if m == 0:
                h, ok = np.zeros(N, dtype=np.int64), np.ones(N, dtype=bool)
            else:
                cols = H[:, m_max - m :]
                ok = (cols >= 0).all(axis=1)
                h = (cols.clip(0) * V ** np.arange(m - 1, -1, -1)).sum(axis=1)
            j = np.searchsorted(hs, h).clip(0, len(hs) - 1)
            ok &= hs[j] == h
            rows = np.flatnonzero(ok)
            if len(rows) == 0:
                break
            j = j[rows]
            q = p[rows] * (d * distinct[j] / total[j])[:, None]
            lens = distinct[j]
            owner = np.repeat(np.arange(len(rows)), lens)  # which row each continuation feeds
            first = np.repeat(np.cumsum(lens) - lens, lens)
            entry = np.repeat(start[j], lens) + np.arange(lens.sum()) - first
            q[owner, w[entry]] += disc[entry] / total[j][owner]
            p[rows] = q
        return np.log(p)


def bits_per_char(log_probs: np.ndarray, targets: np.ndarray) -> float:
    """Mean -log2 P(target) over rows."""
    return float(-log_probs[np.arange(len(targets)), targets].mean() / np.log(2))


def unigram_log_probs(text: str, alphabet: str, n: int) -> np.ndarray:
    """(n, V): the add-1/2 smoothed character frequencies of ``text`` in every row."""
    counts = np.array([text.count(c) for c in alphabet], dtype=np.float64) + 0.5
    return np.tile(np.log(counts / counts.sum()), (n, 1))
