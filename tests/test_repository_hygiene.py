"""No secret in the repository: over the files git tracks (`git ls-files`), no environment file, no
key file, no private key or cloud credential in any text, and the settings take every secret from
the environment (the only literal default is the base settings' marked development key)."""

import ast
import re
import shutil
import subprocess
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = ROOT / "kam" / "settings"

# Files that hold secrets by nature. `.env.example` (every value commented out) is the one
# environment file the repository keeps.
SECRET_FILE_NAMES = re.compile(
    r"(^|/)(\.env(\.(?!example$)[^/]+)?|id_(rsa|dsa|ecdsa|ed25519)|[^/]+\.(pem|key|p12|pfx|jks|keystore))$"
)
# Built from pieces so that this file does not match itself. Each kind: the texts one of which any
# match holds (a fast first look over the bytes), then the pattern itself.
SECRET_TEXTS = {
    "private key block": ((b"PRIVATE KEY",), rb"-----BEGIN ([A-Z0-9]+ )*" + rb"PRIVATE KEY( BLOCK)?-----"),
    "AWS access key id": ((b"AKIA", b"ASIA"), rb"\b(AKIA|ASIA)" + rb"[0-9A-Z]{16}\b"),
    "AWS secret access key": (
        (b"ws_secret_access_key", b"WS_SECRET_ACCESS_KEY"),
        rb"(?i:aws_secret_access_key)\s*[=:]\s*['\"]?" + rb"[A-Za-z0-9/+]{40}",
    ),
    "GitHub token": ((b"ghp_", b"gho_", b"ghu_", b"ghs_", b"ghr_"), rb"\bgh[pousr]_" + rb"[A-Za-z0-9]{36}\b"),
    "Slack token": ((b"xox",), rb"\bxox[abprs]-" + rb"[0-9A-Za-z-]{10,}"),
    "Stripe live key": ((b"k_live_",), rb"\b[sr]k_live_" + rb"[0-9A-Za-z]{16,}"),
}


def secret_kinds(data: bytes) -> list[str]:
    return [
        kind
        for kind, (needles, pattern) in SECRET_TEXTS.items()
        if any(needle in data for needle in needles) and re.search(pattern, data)
    ]


# A setting with one of these in its name holds a secret; the settings take it from the environment.
SECRET_NAME = re.compile(r"SECRET|PASSWORD|PASSWD|TOKEN|API_KEY|PRIVATE_KEY|CREDENTIAL", re.IGNORECASE)
NOT_SECRET = {"AUTH_PASSWORD_VALIDATORS", "PASSWORD_HASHERS", "TOKEN_TTL"}
# The one literal allowed: the development default, marked insecure, which check --deploy rejects.
MARKED_DEV_DEFAULT = re.compile(r"^(django-)?insecure-")


@cache
def tracked_files() -> tuple[str, ...]:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: nothing tells which files the repository holds")
    listed = subprocess.run(
        ["git", "ls-files", "-z"],  # noqa: S607 - git from the PATH, as every developer runs it
        cwd=ROOT,
        capture_output=True,
        check=True,
    )
    return tuple(name for name in listed.stdout.decode().split("\0") if name)


def test_no_environment_or_key_file_is_tracked():
    found = [name for name in tracked_files() if SECRET_FILE_NAMES.search(name)]
    assert found == [], f"secret files in the repository (git rm --cached them): {found}"


def test_no_private_key_or_credential_in_any_tracked_text():
    found = []
    for name in tracked_files():
        path = ROOT / name
        if not path.is_file() or path.stat().st_size > 5_000_000:
            continue
        data = path.read_bytes()
        if b"\0" in data[:8192]:  # images, fonts, compiled translations
            continue
        found += [f"{name}: {kind}" for kind in secret_kinds(data)]
    assert found == [], f"secrets in tracked files: {found}"


def _literal_secrets(path: Path) -> list[tuple[str, str]]:
    """(setting, literal) of every secret-named setting given a literal string in this file: assigned
    directly, as a dict value, or as the default of an environment lookup."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Assign):
            pairs = [(t.id, node.value) for t in node.targets if isinstance(t, ast.Name)]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value:
            pairs = [(node.target.id, node.value)]
        elif isinstance(node, ast.Dict):
            pairs = [
                (k.value, v)
                for k, v in zip(node.keys, node.values, strict=True)
                if isinstance(k, ast.Constant) and isinstance(k.value, str)
            ]
        else:
            continue
        for name, value in pairs:
            if not SECRET_NAME.search(name) or name in NOT_SECRET:
                continue
            if isinstance(value, ast.Call):  # env("SECRET_KEY", default="…")
                value = next((k.value for k in value.keywords if k.arg == "default"), None)
            if isinstance(value, ast.Constant) and isinstance(value.value, str) and value.value:
                found.append((name, value.value))
    return found


def _hard_coded_secrets(path: Path) -> list[str]:
    """The literal secrets of a settings file but the marked development default (never in prod)."""
    return [
        f"{path.name}: {name} = {value!r}"
        for name, value in _literal_secrets(path)
        if path.name == "prod.py" or not MARKED_DEV_DEFAULT.match(value)
    ]


def test_settings_take_secrets_from_the_environment():
    found = [setting for path in sorted(SETTINGS.glob("*.py")) for setting in _hard_coded_secrets(path)]
    assert found == [], f"hard-coded secrets in the settings (read them with env(…)): {found}"


def test_production_secret_key_has_no_default():
    tree = ast.parse((SETTINGS / "prod.py").read_text())
    lookups = [
        node.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == "SECRET_KEY" for t in node.targets)
    ]
    assert len(lookups) == 1, "kam.settings.prod sets SECRET_KEY once"
    call = lookups[0]
    assert isinstance(call, ast.Call), "SECRET_KEY comes from env(…)"
    assert call.keywords == [], "without a default: production does not start without SECRET_KEY"


def test_the_check_catches_a_hard_coded_secret(tmp_path):
    settings = tmp_path / "settings.py"
    settings.write_text(
        'SECRET_KEY = env("SECRET_KEY", default="s3cr3t-value")\n'
        'DATABASES = {"default": {"PASSWORD": "hunter2"}}\n'
        'SECRET_KEY = env("SECRET_KEY", default="insecure-dev-key")\n'
        'API_TOKEN = env("API_TOKEN")\n'
    )
    assert _hard_coded_secrets(settings) == [
        "settings.py: SECRET_KEY = 's3cr3t-value'",
        "settings.py: PASSWORD = 'hunter2'",
    ]
    prod = tmp_path / "prod.py"
    prod.write_text('SECRET_KEY = env("SECRET_KEY", default="insecure-dev-key")\n')
    assert _hard_coded_secrets(prod) == ["prod.py: SECRET_KEY = 'insecure-dev-key'"]
    planted = b"x = 1\n-----BEGIN RSA " + b"PRIVATE KEY-----\nkey = 'AKIA" + b"ABCDEFGHIJKLMNOP'\n"
    assert secret_kinds(planted) == ["private key block", "AWS access key id"]
    assert secret_kinds(b"AKIA is a prefix; PRIVATE KEY is a phrase") == []
    assert SECRET_FILE_NAMES.search("deploy/.env")
    assert SECRET_FILE_NAMES.search(".env.production")
    assert SECRET_FILE_NAMES.search("certs/server.key")
    assert not SECRET_FILE_NAMES.search(".env.example")
    assert not SECRET_FILE_NAMES.search("accounts/api_keys.py")


@pytest.mark.parametrize(
    ("name", "ignored"), [(".env", True), (".env.production", True), (".env.example", False)]
)
def test_gitignore_keeps_environment_files_out(name, ignored):
    tracked_files()  # skips outside a git checkout
    check = subprocess.run(  # noqa: S603 - fixed names from the parameters above
        ["git", "check-ignore", "--quiet", "--no-index", name],  # noqa: S607 - git from the PATH
        cwd=ROOT,
        check=False,
    )
    assert (check.returncode == 0) is ignored, f"{name} should{'' if ignored else ' not'} be git-ignored"
