from django.apps import AppConfig


class TenancyConfig(AppConfig):
    name = "pulsehr.tenancy"
    label = "tenancy"
    verbose_name = "Workspaces and API keys"
