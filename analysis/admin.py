"""Admin of the analysis app."""
