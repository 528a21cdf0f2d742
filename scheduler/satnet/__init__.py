"""Real DSN weeks in the SatNet benchmark format: reading, planning, verifying, converting."""
