def solve_it():
    return 42
