from django.apps import AppConfig


class StatuslogConfig(AppConfig):
    name = "statuslog"
    verbose_name = "Status log"
    # The models a workspace's export holds, with their lookup to it (pulsehr/tenancy/portability.py).
    workspace_models = [("statuslog.statuslogentry", "workspace")]
