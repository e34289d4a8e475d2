def f():
    raise NotImplementedError
