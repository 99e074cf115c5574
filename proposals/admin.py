"""Admin of the proposals app."""
