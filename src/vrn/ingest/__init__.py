"""Loading partner and public files: validation, quarantine, accounting, provenance."""
