"""Synthetic 903 returns for demos, tests and benchmarks (no real child's data)."""
from .generator import generate, sample_providers

__all__ = ["generate", "sample_providers"]
