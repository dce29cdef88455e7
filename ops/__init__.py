"""Operations scripts: backup and restore (backup.py), the load and crash drill (soak.py). See docs/OPERATIONS.md."""
