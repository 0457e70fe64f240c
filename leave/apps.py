from django.apps import AppConfig


class LeaveConfig(AppConfig):
    name = "leave"
    # Examples of its request and response bodies in /v1/openapi.json (pulsehr/api/examples.py).
    api_examples = "leave.samples.api_examples"
    verbose_name = "Leave"
    # The models a workspace's export holds, with their lookup to it (pulsehr/tenancy/portability.py).
    workspace_models = [
        ("leave.companydayoff", "workspace"),
        ("leave.leave", "workspace"),
        ("leave.leaveledgerentry", "workspace"),
        ("leave.calendarfeed", "workspace"),
    ]
    # An imported file's leave takes its people's names from the imported employees, not the file.
    workspace_imported = "leave.services.leave_copy_people"

    def ready(self):
        # The core checks a workspace's policies through its registry; this app owns this one.
        from pulsehr.tenancy.policies import workspace_policy_validator_register

        from .policies import leave_allowances_validate, leave_policies_validate

        workspace_policy_validator_register(["leave_allowances"], leave_allowances_validate)
        workspace_policy_validator_register(["leave_policies"], leave_policies_validate)

        # Leave keeps its person's name, department and location for who's out.
        from employees.services import employee_profile_hook_register

        from .services import leave_follow_employee

        employee_profile_hook_register(leave_follow_employee)

        from pulsehr.tenancy.admin_base import ChangePagePanel, add_change_page_panel

        from .selectors import leave_review

        review = ChangePagePanel(
            template="leave/leave_review_panel.html",
            context=lambda tenant, leave_id: leave_review(tenant=tenant, leave_id=leave_id),
            position="top",
        )
        add_change_page_panel("leave.leave", review)
