"""Benchmarks of the dynamic resources against a no-op floor (see README.md)."""
