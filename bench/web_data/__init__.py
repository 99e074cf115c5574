"""Builders of the web load test's data set (see bench/make_web_data.py)."""
