"""Feature package (blueprint added by its issue)."""
