from django.apps import AppConfig


class StatuslogConfig(AppConfig):
    name = "statuslog"
    # Examples of its request and response bodies in /v1/openapi.json (pulsehr/api/examples.py).
    api_examples = "statuslog.samples.api_examples"
    verbose_name = "Status log"
    # The models a workspace's export holds, with their lookup to it (pulsehr/tenancy/portability.py).
    workspace_models = [("statuslog.statuslogentry", "workspace")]
