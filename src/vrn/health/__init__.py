"""Health partner data: ED assault attendances (ISTV) and hospital admission episodes."""
