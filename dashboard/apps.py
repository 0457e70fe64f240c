from django.apps import AppConfig
from django.contrib.admin import apps as django_admin


class AdminConfig(django_admin.AdminConfig):
    """Django's admin, with navigation grouped by what HR does (dashboard/admin_site.py)."""

    default = False  # INSTALLED_APPS names it; "dashboard" stays DashboardConfig
    default_site = "dashboard.admin_site.AdminSite"


class DashboardConfig(AppConfig):
    """Pages that combine the features: the admin's home page (the workspace dashboard, through
    templates/admin/index.html) and the profile card on an employee's page."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "dashboard"

    def ready(self):
        # The employee admin imports no page app: the card is added to its change page here.
        from pulsehr.tenancy.admin_base import ChangePagePanel, add_change_page_panel

        profile = ChangePagePanel(
            template="dashboard/employee_profile_panel.html",
            context=lambda tenant, employee_id: {},  # the card's tag reads `original`, the employee shown
            position="top",
            stylesheets=("dashboard/dashboard.css",),
        )
        add_change_page_panel("employees.employee", profile)
