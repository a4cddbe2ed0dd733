"""The settings modules: production refuses to start half-configured and passes --deploy."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args: str, env_extra: dict[str, str]) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("DJANGO_") and k not in {"REDIS_URL", "DATABASE_URL"}
    }
    env.update(env_extra)
    return subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
    "DJANGO_ALLOWED_HOSTS": "apprentice.example.com",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


def test_production_check_deploy_passes_at_warning_level():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env_extra=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_each_required_variable():
    for missing in ("DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "REDIS_URL"):
        env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
        result = run_manage("check", env_extra=env)
        assert result.returncode != 0, missing
        assert f"The environment variable {missing} must be set" in result.stderr


def test_every_environment_variable_read_by_settings_is_documented():
    import re

    sources = "".join(p.read_text() for p in (ROOT / "config" / "settings").glob("*.py"))
    names = set(
        re.findall(r'(?:environ\.get|env_bool|env_list|_required)\(\s*"([A-Z_]+)"', sources)
    )
    example = (ROOT / ".env.example").read_text()
    readme = (ROOT / "README.md").read_text()
    assert names, "the pattern found no variables: it is broken"
    for name in sorted(names):
        assert f"{name}=" in example, f"{name} is missing from .env.example"
        assert name in readme, f"{name} is missing from README.md"
