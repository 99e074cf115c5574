"""Admin of the retention app."""
