"""Byte-level byte-pair encoding: train merges, encode, decode.

Ids 0-255 are the bytes of UTF-8; merge number i creates id 256 + i.
"""


def train_bpe(text, vocab_size):
    """The merges, in order: merge i is the pair (a, b) that id 256 + i stands for."""
    # TODO: start from list(text.encode("utf-8")); repeat: count adjacent pairs, take the
    # most frequent (ties: the smallest pair), replace it left to right by the next id.
    raise NotImplementedError("train_bpe: write your code here")


def encode(text, merges):
    """The UTF-8 bytes of text, with every merge applied in the order it was learned."""
    raise NotImplementedError("encode: write your code here")


def decode(ids, merges):
    """The text the ids stand for; bytes that are not valid UTF-8 become U+FFFD."""
    raise NotImplementedError("decode: write your code here")
