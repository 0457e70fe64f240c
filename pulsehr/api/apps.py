from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "pulsehr.api"
    label = "api"
    verbose_name = "API machinery"

    def ready(self) -> None:
        from django.core import checks

        from pulsehr import secretkey

        from . import schema  # noqa: F401  registers the OpenAPI auth extension
        from .checks import check_csrf_middleware

        checks.register(secretkey.check_secret_key, checks.Tags.security, deploy=True)
        checks.register(check_csrf_middleware, checks.Tags.security, deploy=True)
