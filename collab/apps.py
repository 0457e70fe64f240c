from django.apps import AppConfig


class CollabConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "collab"
    verbose_name = "Collaboration"

    def ready(self):
        # Employees may not import collab (dependencies run down), so collab hooks into its
        # offboarding here rather than the offboarding service calling up into collab.
        from employees.services import employee_offboarding_hook_register

        from .realtime import user_sockets_close

        employee_offboarding_hook_register(user_sockets_close)
