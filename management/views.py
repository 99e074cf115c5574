"""The management pages."""
