"""The demo: one command from an empty database to a populated site on real LLR data."""
