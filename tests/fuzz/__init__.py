"""Fuzzing: the harness is tests/fuzz/harness.py, the strategies tests/fuzz/strategies.py."""
