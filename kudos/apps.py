from django.apps import AppConfig


class KudosConfig(AppConfig):
    name = "kudos"
    # Examples of its request and response bodies in /v1/openapi.json (pulsehr/api/examples.py).
    api_examples = "kudos.samples.api_examples"
    verbose_name = "Kudos"
    # The models a workspace's export holds, with their lookup to it (pulsehr/tenancy/portability.py).
    workspace_models = [("kudos.kudos", "workspace")]

    def ready(self):
        # The core checks a workspace's policies through its registry; this app owns this one.
        from pulsehr.tenancy.policies import workspace_policy_validator_register

        from .policies import kudos_allowance_validate

        workspace_policy_validator_register(["kudos_monthly_allowance"], kudos_allowance_validate)
