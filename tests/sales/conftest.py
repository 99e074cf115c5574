"""Sales-ledger fixtures: uploads and rejects files go to a per-test media folder."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Keep every stored upload and rejects CSV inside the test's own temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
