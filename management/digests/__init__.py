"""E-mail digests: the KAM's daily agenda and the department head's weekly review."""
