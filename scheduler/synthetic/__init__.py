"""Synthetic DSN-scale planning weeks: a seeded `Problem` for benchmarks and long horizons
(`week.py`), and the same requests written as a scenario file on the real sky (`scenario_file.py`)."""
