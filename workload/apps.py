from django.apps import AppConfig


class WorkloadConfig(AppConfig):
    name = "workload"
    # Examples of its request and response bodies in /v1/openapi.json (pulsehr/api/examples.py).
    api_examples = "workload.samples.api_examples"
    verbose_name = "Workload"
    # The models a workspace's export holds, with their lookup to it (pulsehr/tenancy/portability.py).
    workspace_models = [("workload.workloadcheckin", "workspace")]
