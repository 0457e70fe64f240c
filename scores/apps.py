from django.apps import AppConfig


class ScoresConfig(AppConfig):
    """The Employee Score: a page-level app over kudos, the status log, workload and leave."""

    name = "scores"
    # Examples of its response bodies in /v1/openapi.json (pulsehr/api/examples.py).
    api_examples = "scores.samples.api_examples"
    verbose_name = "Employee Score"
    # The models a workspace's export holds, with their lookup to it (pulsehr/tenancy/portability.py):
    # the weekly snapshots are history no later run can take again.
    workspace_models = [("scores.scoresnapshot", "workspace")]

    def ready(self):
        # The core checks a workspace's policies through its registry; this app owns these.
        from pulsehr.tenancy.policies import workspace_policy_validator_register

        from .policies import VALIDATORS

        for field_names, validator in VALIDATORS:
            workspace_policy_validator_register(field_names, validator)

        # The employee admin imports no page app: the score panel is added to its change page here.
        from pulsehr.tenancy.admin_base import ChangePagePanel, add_change_page_panel

        from .panels import score_panel_context

        panel = ChangePagePanel(
            template="scores/score_panel.html",
            context=score_panel_context,
            position="top",
            stylesheets=("dashboard/dashboard.css", "scores/scores.css"),
            needs_request=True,
        )
        add_change_page_panel("employees.employee", panel)
