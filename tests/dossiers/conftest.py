"""Tests run without migrations: the default preparation plan is loaded from its data migration."""

from importlib import import_module

import pytest
from django.apps import apps


def load_default_preparation_plan() -> None:
    """Once per test, and before the data a module makes once (tests/module_data.py)."""
    import_module("dossiers.migrations.0002_default_milestone_template").create_default_plan(apps, None)


@pytest.fixture(autouse=True)
def default_preparation_plan(db):
    load_default_preparation_plan()
