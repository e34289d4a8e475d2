"""lmschool: learn large models hands-on, graded in a sandbox.

Keep this module import-light: the trusted grading runner imports the package on
every check, and its start-up time is part of grading latency.
"""

__version__ = "0.1.0"
