"""Text as data: a character tokenizer, a byte-level BPE tokenizer, an n-gram language model.

These are the versions the ``lm`` lessons build by hand and then reuse:

- :class:`CharTokenizer`: one id per distinct character (nanoGPT's ``shakespeare_char``);
- :class:`BPETokenizer`: byte-level byte-pair encoding. It starts from the 256 byte values
  of UTF-8, so it can encode *any* text, and learns merges of the most frequent adjacent
  pair, ties going to the smallest pair ``(a, b)``;
- :class:`NGramLM`: a smoothed n-gram model over characters or tokens (add-k, or
  interpolated Kneser-Ney), with next-symbol log-probabilities, cross-entropy, bits per
  symbol, perplexity and sampling. It is the baseline every neural model of the module
  has to beat.

They follow the scikit-learn contract of ``lmschool.ml`` (``__init__`` stores
hyperparameters, ``fit`` returns self, learned attributes end in ``_``, using a model
before ``fit`` raises :class:`~lmschool.ml.NotFittedError`). NumPy and the standard
library only, so they also work inside the grading sandbox.

scikit-learn's ``check_estimator`` does not apply to them: every one of its checks
feeds an (n_samples, n_features) table of numbers, and these models learn from one
text (or one sequence of symbols). Their scikit-learn tags say so (``two_d_array`` is
False), and what does apply, ``clone``, ``get_params`` and ``set_params``, works as for
every model (``tests/test_ml_sklearn_contract.py``).
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np

from ._validation import BaseEstimator, check_is_fitted, check_random_state

__all__ = ["GPT2_PATTERN", "BPETokenizer", "CharTokenizer", "NGramLM"]

# GPT-2's pre-tokenisation pattern, written for Python's ``re`` (which has no \p{L}):
# contractions, an optional space + letters, an optional space + digits, an optional
# space + punctuation, and runs of whitespace. [^\W\d_] is "a letter" (\w minus digits
# and underscore); Chinese characters count as letters, so a line of a poem splits at
# its punctuation only.
GPT2_PATTERN = r"""'(?:[sdmt]|ll|ve|re)| ?[^\W\d_]+| ?\d+| ?(?:[^\s\w]|_)+|\s+(?!\S)|\s+"""


class _TextModel(BaseEstimator):
    """A model that learns from a text or a sequence of symbols, not from an (N, D) table."""

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False  # so check_estimator skips it, and says why
        tags.input_tags.string = True
        return tags


class CharTokenizer(_TextModel):
    """One id per distinct character of the training text, in sorted order.

    ``unk``: ``None`` (the default) makes ``encode`` refuse a character it has not seen;
    a string of one character adds that character to the vocabulary as the stand-in for
    every unseen one (decoding gives it back, not the original).
    """

    def __init__(self, unk: str | None = None):
        self.unk = unk

    def fit(self, text: str) -> CharTokenizer:
        if not isinstance(text, str):
            raise ValueError(f"text must be a str, got {type(text).__name__}")
        if self.unk is not None and (not isinstance(self.unk, str) or len(self.unk) != 1):
            raise ValueError(f"unk must be None or a single character, got {self.unk!r}")
        chars = set(text) | ({self.unk} if self.unk is not None else set())
        self.vocab_ = sorted(chars)  # id -> character
        self.stoi_ = {c: i for i, c in enumerate(self.vocab_)}  # character -> id
        return self

    @property
    def vocab_size_(self) -> int:
        check_is_fitted(self, "vocab_")
        return len(self.vocab_)

    def encode(self, text: str) -> list[int]:
        check_is_fitted(self, "vocab_")
        if self.unk is not None:
            unk = self.stoi_[self.unk]
            return [self.stoi_.get(c, unk) for c in text]
        try:
            return [self.stoi_[c] for c in text]
        except KeyError as exc:
            raise ValueError(
                f"character {exc.args[0]!r} (U+{ord(exc.args[0]):04X}) was not in the text "
                "CharTokenizer was fitted on; fit on a text that contains it, or use "
                "CharTokenizer(unk='?') to map unseen characters to one id"
            ) from None

    def decode(self, ids: Sequence[int]) -> str:
        check_is_fitted(self, "vocab_")
        return "".join(self.vocab_[int(i)] for i in ids)


# --- byte-pair encoding ------------------------------------------------------------------


def _pair_starts(ids: np.ndarray, pair: tuple[int, int]) -> np.ndarray:
    """Positions where ``pair`` starts in ``ids``, taken left to right without overlaps.

    Left to right matters when both halves are equal: in "a a a" only the first two
    merge ("X a"), and "a a a a" becomes "X X", never three overlapping X.
    """
    a, b = pair
    hit = (ids[:-1] == a) & (ids[1:] == b)  # (n-1,): ids[i], ids[i+1] is the pair
    if a == b and hit.any():
        # in a run of hits at i, i+1, i+2, ... only i, i+2, ... can merge
        idx = np.arange(len(hit))
        starts = hit & ~np.concatenate(([False], hit[:-1]))
        run_start = np.maximum.accumulate(np.where(starts, idx, 0))
        hit &= (idx - run_start) % 2 == 0
    return np.flatnonzero(hit)


def _count_pairs(
    counts: Counter, ids: np.ndarray, w: np.ndarray, starts: np.ndarray, sign: int
) -> set[tuple[int, int]]:
    """Add ``sign * w[s]`` to the count of the pair (ids[s], ids[s + 1]) for each start s.

    Pairs with a chunk boundary (-1) are skipped. Returns the pairs whose count changed.
    """
    firsts, seconds = ids[starts].tolist(), ids[starts + 1].tolist()
    changed = set()
    for a, b, n in zip(firsts, seconds, w[starts].tolist(), strict=True):
        if a >= 0 and b >= 0:
            counts[a, b] += sign * n
            changed.add((a, b))
    return changed


def _merge(ids: np.ndarray, pair: tuple[int, int], new_id: int) -> np.ndarray:
    """``ids`` with each occurrence of ``pair`` (left to right) replaced by ``new_id``."""
    pos = _pair_starts(ids, pair)
    if len(pos) == 0:
        return ids
    out = ids.copy()
    out[pos] = new_id
    return np.delete(out, pos + 1)  # the right half of each merged pair disappears


class BPETokenizer(_TextModel):
    """Byte-level byte-pair encoding (Sennrich et al. 2016; GPT-2's byte-level variant).

    Training starts from the UTF-8 bytes of the text (ids 0-255) and repeats: count every
    adjacent pair of ids (overlapping pairs too: "a a a" holds two), take the most frequent
    one (ties: the smallest pair, comparing the first id, then the second), and replace it
    everywhere, left to right, by a new id 256, 257, ... until the vocabulary has
    ``vocab_size`` ids or no pair is left. ``encode`` applies the merges in the order they
    were learned; ``decode`` joins the bytes of the ids and decodes them as UTF-8.

    ``pattern``: ``None`` trains on the text as one sequence, so merges may cross spaces
    and punctuation (minbpe's ``BasicTokenizer``). A regular expression (e.g.
    :data:`GPT2_PATTERN`) first splits the text into chunks, and no merge crosses a chunk
    boundary (GPT-2, and the ``tokenizers`` library's ``ByteLevel`` pre-tokenizer).

    Learned attributes: ``merges_`` (the pairs, in order; merge ``i`` made id ``256 + i``),
    ``ranks_`` (pair -> its merge number) and ``vocab_`` (id -> the bytes it stands for).
    """

    def __init__(self, vocab_size: int = 512, pattern: str | None = None):
        self.vocab_size = vocab_size
        self.pattern = pattern

    def _chunks(self, text: str) -> list[str]:
        return [text] if self.pattern is None else re.findall(self.pattern, text)

    def fit(self, text: str, vocab_size: int | None = None) -> BPETokenizer:
        """Learn merges from ``text``; ``vocab_size`` overrides the constructor's for this fit."""
        size = self.vocab_size if vocab_size is None else vocab_size
        if not isinstance(text, str):
            raise ValueError(f"text must be a str, got {type(text).__name__}")
        if not isinstance(size, int | np.integer) or size < 256:
            raise ValueError(
                f"vocab_size must be an int >= 256 (the 256 byte values come first), got {size!r}"
            )
        # 1) One array of byte ids: each distinct chunk once, chunks separated by -1,
        #    and a weight per position = how many times its chunk occurs in the text.
        chunk_counts = Counter(self._chunks(text))
        ids, weights = [], []
        for chunk, n in chunk_counts.items():
            b = list(chunk.encode("utf-8"))
            ids += b + [-1]
            weights += [n] * (len(b) + 1)
        ids_arr = np.array(ids, dtype=np.int64)
        w = np.array(weights, dtype=np.int64)
        # 2) Count every adjacent pair once. After a merge only the pairs that touch a
        #    merged position change, so the counts are updated there, not recounted.
        #    The heap holds (-count, a, b): its top is the most frequent pair, and among
        #    equal counts the smallest (a, b). Entries whose count has changed since they
        #    were pushed are stale and skipped.
        counts: Counter = Counter()
        _count_pairs(counts, ids_arr, w, np.arange(len(ids_arr) - 1), +1)
        heap = [(-c, a, b) for (a, b), c in counts.items() if c > 0]
        heapq.heapify(heap)
        merges: list[tuple[int, int]] = []
        # 3) Merge the most frequent pair until the vocabulary is full.
        for new_id in range(256, int(size)):
            while heap and counts[heap[0][1], heap[0][2]] != -heap[0][0]:
                heapq.heappop(heap)  # stale
            if not heap:
                break  # no pair left to merge
            _, a, b = heapq.heappop(heap)
            pos = _pair_starts(ids_arr, (a, b))
            n = len(ids_arr)
            gone = np.unique(np.concatenate([pos - 1, pos, pos + 1]))  # pairs that vanish
            changed = _count_pairs(counts, ids_arr, w, gone[(gone >= 0) & (gone < n - 1)], -1)
            ids_arr[pos] = new_id
            ids_arr, w = np.delete(ids_arr, pos + 1), np.delete(w, pos + 1)
            q = pos - np.arange(len(pos))  # where the new ids now sit
            born = np.unique(np.concatenate([q - 1, q]))  # pairs that appear
            changed |= _count_pairs(
                counts, ids_arr, w, born[(born >= 0) & (born < n - len(pos) - 1)], +1
            )
            for pair in changed:
                if counts[pair] > 0:
                    heapq.heappush(heap, (-counts[pair], *pair))
            merges.append((a, b))
        self.merges_ = merges
        self.ranks_ = {pair: rank for rank, pair in enumerate(merges)}  # pair -> merge number
        vocab = [bytes([i]) for i in range(256)]
        for a, b in merges:
            vocab.append(vocab[a] + vocab[b])
        self.vocab_ = vocab
        return self

    def encode(self, text: str) -> list[int]:
        """The ids of ``text``: its UTF-8 bytes with every merge applied, in learned order."""
        check_is_fitted(self, "merges_")
        out: list[int] = []
        cache: dict[str, list[int]] = {}
        for chunk in self._chunks(text):
            if chunk not in cache:
                cache[chunk] = self._encode_chunk(chunk.encode("utf-8"))
            out += cache[chunk]
        return out

    def _encode_chunk(self, data: bytes) -> list[int]:
        if len(data) > 256:
            # long text: each merge in turn, over the whole array at once (NumPy)
            ids = np.frombuffer(data, dtype=np.uint8).astype(np.int64)
            for rank, pair in enumerate(self.merges_):
                if len(ids) < 2:
                    break
                ids = _merge(ids, pair, 256 + rank)
            return ids.tolist()
        # a short chunk: merge the pair learned earliest among those present, until none
        # is left. The same result: a pair of lower rank cannot appear after a later merge.
        ids = list(data)
        while len(ids) >= 2:
            pair = min(zip(ids, ids[1:], strict=False), key=lambda p: self.ranks_.get(p, math.inf))
            if pair not in self.ranks_:
                break
            ids = _merge(np.array(ids), pair, 256 + self.ranks_[pair]).tolist()
        return ids

    def decode(self, ids: Sequence[int]) -> str:
        """The text of ``ids``; bytes that are not valid UTF-8 (half a character) become U+FFFD."""
        check_is_fitted(self, "vocab_")
        return b"".join(self.vocab_[int(i)] for i in ids).decode("utf-8", errors="replace")

    def token_strings(self, ids: Sequence[int]) -> list[str]:
        """Each id as readable text (invalid UTF-8 pieces as U+FFFD): for printing tokens."""
        check_is_fitted(self, "vocab_")
        return [self.vocab_[int(i)].decode("utf-8", errors="replace") for i in ids]


# --- n-gram language model -----------------------------------------------------------------

_PAD = "\x00"  # the start-of-text symbol that pads contexts (symbol i is stored as chr(i + 1))


class NGramLM(_TextModel):
    """A smoothed n-gram language model over characters or tokens.

    ``P(x_t | x_<t)`` is estimated from the last ``order - 1`` symbols. The text is padded
    at the start with ``order - 1`` start symbols, so the first symbols are predicted
    from a context that says "start of text", and every symbol is predicted exactly once.

    ``smoothing``:

    - ``"add-k"``: ``P(w | h) = (c(h w) + k) / (c(h) + k V)`` with the full context ``h``;
      a context never seen gives the uniform ``1 / V``.
    - ``"kneser-ney"`` (interpolated, one ``discount`` d): every order keeps
      ``max(c(h w) - d, 0) / c(h)`` and gives the mass it took away,
      ``d * N1+(h .) / c(h)``, to the next lower order, down to the uniform ``1 / V``. The
      lower orders count *continuations* (in how many different contexts a symbol
      appears) rather than occurrences. A context never seen falls back to the lower order.

    Both give probabilities that sum to 1 over the vocabulary in every context, unseen
    contexts included. ``vocabulary``: the symbols to predict (e.g. every character of
    the whole corpus, as nanoGPT does); ``None`` takes those of the training data, and
    then scoring a symbol outside it raises ``ValueError``.

    Input is a ``str`` (one symbol per character) or a sequence of hashable symbols
    (token ids, words). Log-probabilities are natural logs (nats); ``bits_per_symbol``
    divides by ln 2.
    """

    def __init__(
        self,
        order: int = 3,
        smoothing: str = "kneser-ney",
        k: float = 1.0,
        discount: float = 0.75,
        vocabulary: Sequence[Any] | None = None,
    ):
        self.order = order
        self.smoothing = smoothing
        self.k = k
        self.discount = discount
        self.vocabulary = vocabulary

    # Symbols are stored as one character each (symbol i -> chr(i + 1)), so that an n-gram
    # is a slice of a str: hashable, compact and fast to count.
    def _as_str(self, seq: Any) -> str:
        try:
            return "".join([self._code_[s] for s in seq])
        except KeyError as exc:
            raise ValueError(
                f"symbol {exc.args[0]!r} is not in the model's vocabulary of "
                f"{len(self.vocabulary_)} symbols; pass vocabulary=... (every symbol of the "
                "whole corpus) when you create the NGramLM"
            ) from None

    def fit(self, sequence: str | Sequence[Any]) -> NGramLM:
        if not isinstance(self.order, int | np.integer) or self.order < 1:
            raise ValueError(f"order must be an int >= 1, got {self.order!r}")
        if self.smoothing not in ("add-k", "kneser-ney"):
            raise ValueError(f"smoothing must be 'add-k' or 'kneser-ney', got {self.smoothing!r}")
        if self.smoothing == "add-k" and not self.k > 0:
            raise ValueError(
                f"k must be > 0 (k = 0 gives unseen symbols probability 0), got {self.k}"
            )
        if self.smoothing == "kneser-ney" and not 0 < self.discount <= 1:
            raise ValueError(f"discount must be in (0, 1], got {self.discount}")
        if len(sequence) == 0:
            raise ValueError("the training sequence is empty")
        seen = sorted(set(sequence))
        if self.vocabulary is None:
            self.vocabulary_ = seen
        else:
            self.vocabulary_ = sorted(set(self.vocabulary))
            missing = set(seen) - set(self.vocabulary_)
            if missing:
                raise ValueError(
                    f"vocabulary lacks {len(missing)} symbols of the training data, "
                    f"e.g. {sorted(missing)[:5]}; it must contain every training symbol"
                )
        self._code_ = {s: chr(i + 1) for i, s in enumerate(self.vocabulary_)}
        self._symbols_ = [chr(i + 1) for i in range(len(self.vocabulary_))]
        self.fitted_on_text_ = isinstance(sequence, str)
        n = self.order
        text = _PAD * (n - 1) + self._as_str(sequence)
        # tables_[m] = (A, T, U) for m-grams (a context of m - 1 symbols + the next one):
        # A[h + w] the count of w after h, T[h] = sum over w of A[h + w], U[h] = the number
        # of different w with A[h + w] > 0.
        top = _grams(text, n, n)
        self.tables_ = {n: _table(top)}
        if self.smoothing == "kneser-ney":
            upper = top
            for m in range(n - 1, 0, -1):
                # continuation count N1+(. h w): in how many different contexts, one symbol
                # longer, the m-gram h w was seen (the start padding counts as a context)
                self.tables_[m] = _table(Counter(g[1:] for g in upper))
                upper = _grams(text, m, n) if m > 1 else None
        return self

    def _next_probs(self, h: str) -> np.ndarray:
        """P(w | h) for every symbol w, shape (V,); ``h`` is the padded, coded context."""
        n, V = self.order, len(self._symbols_)
        if self.smoothing == "add-k":
            A, T, _ = self.tables_[n]
            a = np.array([A.get(h + w, 0) for w in self._symbols_], dtype=np.float64)
            return (a + self.k) / (T.get(h, 0) + self.k * V)
        d = self.discount
        p = np.full(V, 1.0 / V)  # order 0: uniform
        for m in range(1, n + 1):
            A, T, U = self.tables_[m]
            hm = h[len(h) - (m - 1) :]  # the last m - 1 symbols
            total = T.get(hm, 0)
            if total:  # an unseen context keeps the lower order's estimate
                a = np.array([A.get(hm + w, 0) for w in self._symbols_], dtype=np.float64)
                p = np.maximum(a - d, 0) / total + d * U[hm] / total * p
        return p

    def _prob(self, h: str, w: str) -> float:
        """P(w | h) for one symbol: the same formulas as :meth:`_next_probs`."""
        n, V = self.order, len(self._symbols_)
        if self.smoothing == "add-k":
            A, T, _ = self.tables_[n]
            return (A.get(h + w, 0) + self.k) / (T.get(h, 0) + self.k * V)
        d = self.discount
        p = 1.0 / V
        for m in range(1, n + 1):
            A, T, U = self.tables_[m]
            hm = h[len(h) - (m - 1) :]
            total = T.get(hm, 0)
            if total:
                p = max(A.get(hm + w, 0) - d, 0) / total + d * U[hm] / total * p
        return p

    def next_log_probs(self, context: str | Sequence[Any] = "") -> np.ndarray:
        """ln P(w | context) for every w of ``vocabulary_``, shape (V,); exp sums to 1.

        ``context`` is what came before (any length; only its last ``order - 1`` symbols
        count); a shorter one is padded with start symbols, so ``""`` gives the
        distribution of the first symbol of a text.
        """
        check_is_fitted(self, "tables_")
        padded = _PAD * (self.order - 1) + self._as_str(context)
        return np.log(self._next_probs(padded[len(padded) - (self.order - 1) :]))

    def log_probs(self, sequence: str | Sequence[Any]) -> np.ndarray:
        """ln P(x_t | x_<t) for each symbol of ``sequence`` (padded at its start), shape (T,)."""
        check_is_fitted(self, "tables_")
        n = self.order
        text = _PAD * (n - 1) + self._as_str(sequence)
        return np.log(
            np.array([self._prob(text[i - n + 1 : i], text[i]) for i in range(n - 1, len(text))])
        )

    def log_prob(self, sequence: str | Sequence[Any]) -> float:
        """ln P(sequence): the sum of :meth:`log_probs`."""
        return float(self.log_probs(sequence).sum())

    def cross_entropy(self, sequence: str | Sequence[Any]) -> float:
        """Mean negative log-likelihood per symbol, in nats."""
        if len(sequence) == 0:
            raise ValueError("cannot score an empty sequence")
        return float(-self.log_probs(sequence).mean())

    def bits_per_symbol(self, sequence: str | Sequence[Any]) -> float:
        """Cross-entropy in bits: nats / ln 2 (bits per character for a character model)."""
        return self.cross_entropy(sequence) / math.log(2)

    def perplexity(self, sequence: str | Sequence[Any]) -> float:
        """exp(cross-entropy in nats) = 2 ** (bits per symbol)."""
        return math.exp(self.cross_entropy(sequence))

    def sample(
        self, n_symbols: int, seed: int | np.random.Generator | None = 0, prompt: Any = ""
    ) -> str | list[Any]:
        """``n_symbols`` symbols drawn one at a time after ``prompt`` (not included in the
        result): a str if the model was fitted on a str, else a list."""
        check_is_fitted(self, "tables_")
        rng = check_random_state(seed)
        n = self.order
        padded = _PAD * (n - 1) + self._as_str(prompt)
        out = []
        for _ in range(n_symbols):
            p = self._next_probs(padded[len(padded) - (n - 1) :])
            i = int(rng.choice(len(p), p=p / p.sum()))
            out.append(self.vocabulary_[i])
            padded += self._symbols_[i]
        return "".join(out) if self.fitted_on_text_ else out


def _grams(text: str, m: int, n: int) -> Counter:
    """Counts of the m-grams ending at each predicted position (text padded with n - 1)."""
    return Counter(text[i - m + 1 : i + 1] for i in range(n - 1, len(text)))


def _table(A: Counter) -> tuple[Counter, Counter, Counter]:
    """(A, T, U): the counts, their total per context and the number of types per context."""
    T: Counter = Counter()
    for g, c in A.items():
        T[g[:-1]] += c
    return A, T, Counter(g[:-1] for g in A)
