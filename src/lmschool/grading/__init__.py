"""Grading: the sandbox, the data-only protocol, the checks API and the grader.

Submodules are imported where needed (the runner and the sandboxed host must stay
fast to start), so this package ``__init__`` imports nothing.
"""
