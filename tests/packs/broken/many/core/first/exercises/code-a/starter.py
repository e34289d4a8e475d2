def solve():
    raise NotImplementedError
