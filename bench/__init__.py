"""Benchmarks that print figures (`make bench`, i.e. `python -m bench`), never timed tests.

Each benchmark is a module here with `run() -> list[bench.harness.Figure]`; `python -m bench` runs them all
(or those named on the command line) and prints one table. Each figure that has a goal is a ratio measured
side by side in the same run, so a busy machine moves both sides.
"""
