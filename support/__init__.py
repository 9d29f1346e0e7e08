"""Helpers that the test tiers and the benchmarks share, kept out of both so neither imports the other."""
