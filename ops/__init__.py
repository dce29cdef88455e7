"""Operations: backup and restore (backup.py), the load and crash drill (soak.py), the benchmark (bench.py).

soak.py and bench.py share harness.py and run as modules (``python -m ops.soak``); what they do inside Django is
done by the management commands in management/commands/. See docs/OPERATIONS.md and docs/PERFORMANCE.md.
"""
