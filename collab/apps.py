from django.apps import AppConfig

# The objects whose rooms (named by the object's id) HR staff read on the object's admin page.
COMMENTABLE_MODELS = ("employees.employee", "leave.leave", "statuslog.statuslogentry")


class CollabConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "collab"
    verbose_name = "Collaboration"
    # Examples of its request and response bodies in /v1/openapi.json (pulsehr/api/examples.py).
    api_examples = "collab.samples.api_examples"
    # What a workspace's export holds of this app, with the lookup to the workspace
    # (pulsehr/tenancy/portability.py).
    workspace_models = [
        ("collab.room", "workspace"),
        ("collab.thread", "workspace"),
        ("collab.comment", "workspace"),
        ("collab.reaction", "workspace"),
        ("collab.roomevent", "room__workspace"),
    ]
    # A room token's idempotency records have no API key: their principal names the token's
    # workspace, environment, user (an employee) and room (RoomPrincipal.pk).
    idempotency_principals = {"rt": "employees.employee"}

    def ready(self):
        # Employees may not import collab (dependencies run down), so collab hooks into its
        # offboarding here rather than the offboarding service calling up into collab.
        from employees.services import employee_offboarding_hook_register

        from .realtime import user_sockets_close

        employee_offboarding_hook_register(user_sockets_close)

        # The change page of an object that can be commented on ends with its room's threads.
        from pulsehr.tenancy.admin_base import ChangePagePanel, add_change_page_panel

        from .selectors import threads_for_object

        threads = ChangePagePanel(
            template="admin/collab/threads_panel.html",
            context=lambda tenant, object_id: {
                "collab_threads": threads_for_object(tenant=tenant, object_id=object_id)
            },
        )
        for model_label in COMMENTABLE_MODELS:
            add_change_page_panel(model_label, threads)
