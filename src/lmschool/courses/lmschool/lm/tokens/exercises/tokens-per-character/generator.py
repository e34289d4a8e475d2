"""The token cost of a regulated Tang poem for a byte-level tokenizer that never saw Chinese."""


def generate(rng):
    lines = int(rng.choice([4, 8]))
    per_line = int(rng.choice([5, 7]))
    chars = lines * per_line
    punct = lines  # one ， or 。 closes every line
    newlines = lines - 1
    tokens = 3 * (chars + punct) + newlines
    return {
        "params": {
            "lines": lines,
            "per_line": per_line,
            "chars": chars,
            "punct": punct,
            "newlines": newlines,
            "tokens": tokens,
            "byte_tokens": 3 * (chars + punct),
            "per_char": f"{tokens / (chars + punct):.2f}",
        },
        "answer": tokens,
    }
