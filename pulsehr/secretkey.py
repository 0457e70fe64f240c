"""The SECRET_KEY rule: production never runs on a key that anyone could know.

SECRET_KEY signs sessions, CSRF tokens and the collaboration room tokens, so whoever knows it
can forge a token for any room and user. The key comes from the SECRET_KEY variable, else from
`<PULSEHR_DATA_DIR>/secret_key`, a random key that `make run` generates once (`manage.py
ensure_secret_key`) so a laptop needs no configuration; there is no built-in fallback.

With DEBUG off, a missing key, the development value PulseHR once shipped with, or one shorter
than MIN_LENGTH characters is refused: `manage.py check --deploy` reports pulsehr.E001, and the
production entry points (pulsehr.wsgi, pulsehr.asgi, the Celery worker and beat, the release
step's check) stop before serving anything."""

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

MIN_LENGTH = 50
FILE_NAME = "secret_key"
# The fallback key of earlier releases: public in the source, so it counts as no key.
DEVELOPMENT_KEYS = frozenset({"pulsehr-insecure-development-key-change-me-in-production"})
HINT = (
    'Set SECRET_KEY to a long random value, e.g. python -c "import secrets; print(secrets.token_urlsafe(50))", '
    "or run `manage.py ensure_secret_key` to keep one in the data directory."
)


def read(env_value: str, data_dir: Path) -> str:
    """The environment's key, else the data directory's key file, else the empty string."""
    if env_value:
        return env_value
    path = Path(data_dir) / FILE_NAME
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        return ""


def problem(key: str) -> str | None:
    """Why this key may not sign anything in production, or None when it may."""
    if not key:
        return "SECRET_KEY is not set."
    if key in DEVELOPMENT_KEYS:
        return "SECRET_KEY is the public development key."
    if len(key) < MIN_LENGTH:
        return f"SECRET_KEY is shorter than {MIN_LENGTH} characters."
    return None


def ensure_file(data_dir: Path) -> bool:
    """Create `<data_dir>/secret_key` (mode 0600) with a random key unless it exists; True when
    created. O_EXCL makes two concurrent callers agree on one key."""
    path = Path(data_dir) / FILE_NAME
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_urlsafe(64) + "\n")
    return True


def _configured_problem() -> str | None:
    from django.conf import settings

    # Read from the wrapped settings: Django's own accessor raises on an empty key, and the
    # point here is to say why in PulseHR's words.
    settings.DEBUG  # noqa: B018 - sets the settings up
    return problem(getattr(settings._wrapped, "SECRET_KEY", ""))


def refuse_insecure_key() -> None:
    """Called by the production entry points (DEBUG off): stop with the reason when the key is
    unsafe. An exception, not SystemExit: gunicorn halts on a worker that fails to boot, but
    would respawn one that merely exits."""
    from django.conf import settings

    reason = None if settings.DEBUG else _configured_problem()
    if reason is not None:
        raise ImproperlyConfigured(f"PulseHR refuses to start: {reason} {HINT}")


def check_secret_key(app_configs, **kwargs):
    """A deploy check (registered by pulsehr.api's AppConfig), whatever DEBUG is: `check --deploy`
    asks whether this configuration may go live."""
    from django.core.checks import Error

    reason = _configured_problem()
    if reason is None:
        return []
    return [Error(f"{reason} Production (DEBUG off) refuses to start with it.", hint=HINT, id="pulsehr.E001")]
