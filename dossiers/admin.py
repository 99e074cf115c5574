"""Admin of the dossiers app."""
