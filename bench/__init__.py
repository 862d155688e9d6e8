"""Benchmarks, run on demand with `make bench` (not part of the timed test suite)."""
