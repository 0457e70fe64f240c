from django.apps import AppConfig


class LeaveConfig(AppConfig):
    name = "leave"
    verbose_name = "Leave"
    # The models a workspace's export holds, with their lookup to it (pulsehr/tenancy/portability.py).
    workspace_models = [("leave.companydayoff", "workspace"), ("leave.leave", "workspace")]

    def ready(self):
        # The core checks a workspace's policies through its registry; this app owns this one.
        from pulsehr.tenancy.policies import workspace_policy_validator_register

        from .policies import leave_allowances_validate

        workspace_policy_validator_register(["leave_allowances"], leave_allowances_validate)
