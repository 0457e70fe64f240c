from django.apps import AppConfig


class TenancyConfig(AppConfig):
    name = "pulsehr.tenancy"
    label = "tenancy"
    verbose_name = "Workspaces and API keys"
    # What a workspace's export holds of this app, with the lookup to the workspace (portability.py).
    workspace_models = [("tenancy.membership", "workspace"), ("tenancy.apikey", "workspace")]
