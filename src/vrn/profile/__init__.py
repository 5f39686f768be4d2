"""The problem profile: the Strategic Needs Assessment's findings computed from the data."""
