"""The first dashboard: monthly counts by crime type and rates by local authority."""
