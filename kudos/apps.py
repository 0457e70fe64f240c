from django.apps import AppConfig


class KudosConfig(AppConfig):
    name = "kudos"
    verbose_name = "Kudos"
    # The models a workspace's export holds, with their lookup to it (pulsehr/tenancy/portability.py).
    workspace_models = [("kudos.kudos", "workspace")]
