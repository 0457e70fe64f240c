"""Deploy checks that stand in for Django's where /v1's middleware hides from them.

Django's security checks find the CSRF middleware by its dotted path, so the subclass that
skips /v1 requests (pulsehr/api/middleware.py) made `check --deploy` report CSRF protection
missing (security.W003) and stop checking the CSRF cookie (security.W016). These say the same
of whichever class is installed; settings silence security.W003 in their favour. The session
cookie keeps Django's own check (security.W010, which looks at INSTALLED_APPS)."""

from django.conf import settings
from django.core import checks
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.module_loading import import_string


def _csrf_middleware_installed() -> bool:
    return any(issubclass(import_string(path), CsrfViewMiddleware) for path in settings.MIDDLEWARE)


def check_csrf_middleware(app_configs, **kwargs) -> list[checks.CheckMessage]:
    if not _csrf_middleware_installed():
        return [
            checks.Warning(
                "No CSRF middleware (django.middleware.csrf.CsrfViewMiddleware or a subclass) is in MIDDLEWARE: "
                "the admin and /developers would take forged form posts.",
                id="pulsehr.W003",
            )
        ]
    if not settings.CSRF_USE_SESSIONS and settings.CSRF_COOKIE_SECURE is not True:
        return [
            checks.Warning(
                "CSRF_COOKIE_SECURE is not True (set PULSEHR_HTTPS=true behind a TLS proxy): the CSRF cookie "
                "would travel over plain http.",
                id="pulsehr.W016",
            )
        ]
    return []
