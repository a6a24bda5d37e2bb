"""Benchmarks that print figures (`make bench` = `python -m bench`); each benchmark is its own module."""
