from django.apps import AppConfig


class EmployeesConfig(AppConfig):
    name = "employees"
    verbose_name = "People"
    # The models a workspace's export holds, with their lookup to it (pulsehr/tenancy/portability.py).
    workspace_models = [("employees.employee", "workspace")]
