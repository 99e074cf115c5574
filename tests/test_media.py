"""Where uploads go: one absolute folder for web and worker alike, and a temporary one in tests."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from sales.models import ImportBatch

ROOT = Path(__file__).resolve().parent.parent


def media_root_of(settings_module: str, media_root: str | None, cwd: Path) -> Path:
    """MEDIA_ROOT as a process started in `cwd` with that environment sees it."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings_module, "SECRET_KEY": "x" * 50}
    env.pop("MEDIA_ROOT", None)
    if media_root is not None:
        env["MEDIA_ROOT"] = media_root
    code = (
        f"import sys; sys.path.insert(0, {str(ROOT)!r}); "
        "from django.conf import settings; print(settings.MEDIA_ROOT)"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True, check=True
    )
    return Path(result.stdout.strip())


def test_a_relative_media_root_means_the_same_folder_from_any_working_directory(tmp_path):
    assert media_root_of("kam.settings.dev", "uploads", cwd=tmp_path) == ROOT / "uploads"
    assert media_root_of("kam.settings.dev", None, cwd=tmp_path) == ROOT / "media"
    assert media_root_of("kam.settings.dev", "/srv/kam/media", cwd=tmp_path) == Path("/srv/kam/media")


def test_test_settings_never_store_uploads_in_the_project(tmp_path):
    seen = media_root_of("kam.settings.test", "media", cwd=ROOT)
    assert seen.is_relative_to(tempfile.gettempdir())
    assert not seen.is_relative_to(ROOT)


def test_a_file_uploaded_in_a_test_lands_in_a_temporary_folder(head):
    client = Client()
    client.force_login(head)
    ledger = SimpleUploadedFile("ledger.csv", b"account_external_id,date,amount\nA1,2025-01-05,10\n")
    response = client.post("/sales/imports/new/", {"file": ledger, "encoding": "utf-8"})
    assert response.status_code == 302
    stored = Path(ImportBatch.objects.get().upload.path)
    assert stored.is_file()
    assert stored.is_relative_to(Path(settings.MEDIA_ROOT))
    assert stored.is_relative_to(tempfile.gettempdir())
    assert not stored.is_relative_to(ROOT)


def test_compose_gives_web_and_worker_the_same_media_volume():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    mounts = {}
    for name in ("web", "worker"):
        service = compose["services"][name]
        media_root = service["environment"]["MEDIA_ROOT"]
        volumes = dict(reversed(v.split(":")[:2]) for v in service.get("volumes", []))
        assert media_root in volumes, f"{name} mounts nothing at its MEDIA_ROOT {media_root}"
        mounts[name] = (volumes[media_root], media_root)
    assert mounts["web"] == mounts["worker"]
    assert mounts["web"][0] in compose["volumes"]  # a named volume, not a folder of one container


def test_the_docker_build_context_leaves_out_secrets_and_local_data():
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {".env", ".venv", "media", "imports", "db.sqlite3"} <= ignored
