"""Tests run without migrations: the default preparation plan is loaded from its data migration."""

from importlib import import_module

import pytest
from django.apps import apps


@pytest.fixture(autouse=True)
def default_preparation_plan(db):
    import_module("dossiers.migrations.0002_default_milestone_template").create_default_plan(apps, None)
