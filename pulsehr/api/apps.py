from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "pulsehr.api"
    label = "api"
    verbose_name = "API machinery"
    # Exported with the workspace of their API key (portability.py); room tokens' records, which
    # have no key, are found by their principal (collab's `idempotency_principals`).
    workspace_models = [("api.idempotencyrecord", "api_key__workspace")]
    scheduled_fields = {"api.idempotencyrecord": ["lease_expires_at"]}

    def ready(self) -> None:
        from django.core import checks

        from pulsehr import secretkey

        from . import schema  # noqa: F401  registers the OpenAPI auth extension
        from .checks import check_csrf_middleware

        checks.register(secretkey.check_secret_key, checks.Tags.security, deploy=True)
        checks.register(check_csrf_middleware, checks.Tags.security, deploy=True)
