"""Mutation testing for the modules that guard users: `python -m mutation` (make mutation).

One small change to a module at a time (mutants.py), that module's own tests run against it in a throw-away copy
of the tree (runner.py), and a score table of what the tests caught (report.py). Equivalent mutants, which no
test can catch because they do not change behaviour, are listed with a reason in equivalent.toml.
"""
