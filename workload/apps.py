from django.apps import AppConfig


class WorkloadConfig(AppConfig):
    name = "workload"
    verbose_name = "Workload"
    # The models a workspace's export holds, with their lookup to it (pulsehr/tenancy/portability.py).
    workspace_models = [("workload.workloadcheckin", "workspace")]
