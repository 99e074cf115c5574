"""Models of the dossiers app."""
