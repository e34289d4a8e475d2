"""Reference for the capstone labs: interpolated Kneser-Ney over characters, order chosen on held-out text.

1) hold out the last 5% of the training text; fit orders 3..9 on the rest and keep the
   order with the lowest bits per character on the held-out part (model selection on a
   validation split, never on the hidden text);
2) refit that order on the whole training text.

Each n-gram of k characters is one integer (base V), so counting is one np.unique per
order and a context's continuations are a contiguous run of sorted keys. With a
discount D per order (Ney's estimate n1 / (n1 + 2 n2)):

    P_k(w | h) = max(c(h w) - D, 0) / c(h) + D N1+(h .) / c(h) * P_{k-1}(w | h')

c counts occurrences at the top order and distinct left extensions (continuation counts)
below it; P_0 is uniform over the alphabet, so no character ever gets probability 0.
It fits in a few seconds on one thread, far inside the budget.
"""

import numpy as np


class LanguageModel:
    """fit(text, alphabet); log_probs(contexts) -> (N, V) natural logs over alphabet."""

    def __init__(self, orders=(3, 4, 5, 6, 7, 8, 9), validation=0.05):
        self.orders = orders  # candidate n-gram orders (V ** order must fit in int64)
        self.validation = validation  # share of the training text held out to choose

    def fit(self, text, alphabet):
        self.alphabet_ = alphabet
        self.lut_ = np.full(max(map(ord, alphabet)) + 2, -1, dtype=np.int64)
        self.lut_[[ord(c) for c in alphabet]] = np.arange(len(alphabet))
        cut = int(len(text) * (1 - self.validation))
        fit_part, held = text[:cut], text[cut:]
        positions = np.arange(64, len(held), 7)  # every 7th character, with its 64 before
        contexts = [held[p - 64 : p] for p in positions]
        targets = self._codes(held)[positions]
        orders = [k for k in self.orders if len(alphabet) ** k < 2**62]
        scores = {}
        for k in orders:
            self._count(fit_part, k)
            lp = self.log_probs(contexts)
            scores[k] = -lp[np.arange(len(targets)), targets].mean()
        self.order_ = min(scores, key=scores.get)
        self._count(text, self.order_)
        return self

    def _codes(self, text):
        points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
        codes = self.lut_[np.minimum(points, len(self.lut_) - 1)]  # the last entry is -1
        if np.any(codes < 0):
            raise ValueError("text holds characters that are not in the alphabet")
        return codes

    def _count(self, text, order):
        V, x = len(self.alphabet_), self._codes(text)
        self.n_ = order
        keys, g = [], x.copy()
        for k in range(1, order + 1):  # every k-gram as one integer
            if k > 1:
                g = g[:-1] * V + x[k - 1 :]
            keys.append(np.unique(g, return_counts=True))
        self.tables_ = []
        for k in range(1, order + 1):
            if k == order:
                u, c = keys[k - 1]
            else:  # continuation counts: distinct left extensions of each k-gram
                u, c = np.unique(keys[k][0] % V**k, return_counts=True)
            c = c.astype(np.float64)
            n1, n2 = np.sum(c == 1), np.sum(c == 2)
            d = float(np.clip(n1 / (n1 + 2 * n2) if n1 + 2 * n2 else 0.5, 0.05, 0.95))
            hs, start, distinct = np.unique(u // V, return_index=True, return_counts=True)
            total = np.add.reduceat(c, start)
            self.tables_.append((u % V, np.maximum(c - d, 0.0), hs, start, distinct, total, d))

    def log_probs(self, contexts):
        if not hasattr(self, "tables_"):
            raise RuntimeError("LanguageModel is not fitted yet: call fit(text, alphabet) first")
        V, m_max, N = len(self.alphabet_), self.n_ - 1, len(contexts)
        H = np.full((N, max(m_max, 1)), -1, dtype=np.int64)  # last m_max codes; -1 = none
        for r, s in enumerate(contexts):
            tail = s[max(0, len(s) - m_max) :] if m_max else ""
            if tail:
                H[r, m_max - len(tail) :] = self._codes(tail)
        p = np.full((N, V), 1.0 / V)  # order 0: uniform
        for m, (w, disc, hs, start, distinct, total, d) in enumerate(self.tables_):
            if m == 0:
                h, ok = np.zeros(N, dtype=np.int64), np.ones(N, dtype=bool)
            else:  # the last m characters as one integer
                cols = H[:, m_max - m :]
                ok = (cols >= 0).all(axis=1)
                h = (cols.clip(0) * V ** np.arange(m - 1, -1, -1)).sum(axis=1)
            j = np.searchsorted(hs, h).clip(0, len(hs) - 1)
            ok &= hs[j] == h  # contexts seen in training; the others keep the lower order
            rows = np.flatnonzero(ok)
            if len(rows) == 0:
                break
            j = j[rows]
            q = p[rows] * (d * distinct[j] / total[j])[:, None]  # mass given to the lower order
            lens = distinct[j]
            owner = np.repeat(np.arange(len(rows)), lens)
            entry = (
                np.repeat(start[j], lens)
                + np.arange(lens.sum())
                - np.repeat(np.cumsum(lens) - lens, lens)
            )
            q[owner, w[entry]] += disc[entry] / total[j][owner]  # discounted counts
            p[rows] = q
        return np.log(p)
