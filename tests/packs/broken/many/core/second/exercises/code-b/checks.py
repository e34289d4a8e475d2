def not_a_check(ctx):
    pass
