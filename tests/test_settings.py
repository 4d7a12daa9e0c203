import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load_settings(**env):
    environment = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "PACT_SERVING"}}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import pact_portal.wsgi" if env.pop("serve", False) else "import pact_portal.settings",
        ],
        cwd=ROOT,
        env={**environment, "DJANGO_SETTINGS_MODULE": "pact_portal.settings", **env},
        capture_output=True,
        text=True,
    )


def test_serving_without_a_secret_key_is_refused():
    result = load_settings(serve=True)
    assert result.returncode != 0 and "Set the SECRET_KEY environment variable" in result.stderr


def test_serving_with_a_secret_key_or_in_debug_starts():
    assert load_settings(serve=True, SECRET_KEY="x" * 50).returncode == 0
    assert load_settings(serve=True, DEBUG="1").returncode == 0


def test_management_commands_need_no_secret_key():
    result = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
