"""Signals of the segmentation run, for the apps built on it (retention records churn transitions)."""

from django.dispatch import Signal

# Sent inside the run's transaction once its segments are written (kwargs: run). A receiver that
# fails fails the run: what it writes becomes visible together with the run, or not at all.
run_completed = Signal()
