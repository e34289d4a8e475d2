"""Starts from code points (ord(c)) instead of UTF-8 bytes: fine for English, wrong for Chinese."""


def get_stats(ids):
    """How often each adjacent pair occurs (overlapping pairs count: 'aaa' holds (a, a) twice)."""
    counts = {}
    for pair in zip(ids, ids[1:], strict=False):
        counts[pair] = counts.get(pair, 0) + 1
    return counts


def merge(ids, pair, new_id):
    """Replace each occurrence of pair, scanning left to right, by new_id."""
    out, i = [], 0
    while i < len(ids):
        if i < len(ids) - 1 and (ids[i], ids[i + 1]) == pair:
            out.append(new_id)
            i += 2  # both halves are consumed: 'aaa' -> [X, a]
        else:
            out.append(ids[i])
            i += 1
    return out


def train_bpe(text, vocab_size):
    """The merges, in order: merge i is the pair (a, b) that id 256 + i stands for."""
    ids = [ord(c) for c in text]
    merges = []
    for new_id in range(256, vocab_size):
        stats = get_stats(ids)
        if not stats:  # fewer than two ids left: nothing to merge
            break
        # the most frequent pair; among equal counts, the smallest pair (a, b)
        pair = min(stats, key=lambda p: (-stats[p], p))
        ids = merge(ids, pair, new_id)
        merges.append(pair)
    return merges


def encode(text, merges):
    """The UTF-8 bytes of text, with every merge applied in the order it was learned."""
    ids = list(text.encode("utf-8"))
    for i, pair in enumerate(merges):
        ids = merge(ids, tuple(pair), 256 + i)
    return ids


def decode(ids, merges):
    """The text the ids stand for; bytes that are not valid UTF-8 become U+FFFD."""
    vocab = {i: bytes([i]) for i in range(256)}
    for i, (a, b) in enumerate(merges):
        vocab[256 + i] = vocab[a] + vocab[b]
    return b"".join(vocab[i] for i in ids).decode("utf-8", errors="replace")
