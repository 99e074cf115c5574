"""Models of the sales app."""
