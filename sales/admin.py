"""Admin of the sales app."""
