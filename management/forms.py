"""The management forms."""
