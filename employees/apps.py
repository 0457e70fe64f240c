from django.apps import AppConfig


class EmployeesConfig(AppConfig):
    name = "employees"
    # Examples of its request and response bodies in /v1/openapi.json (pulsehr/api/examples.py).
    api_examples = "employees.samples.api_examples"
    verbose_name = "People"
    # The models a workspace's export holds, with their lookup to it (pulsehr/tenancy/portability.py).
    workspace_models = [("employees.employee", "workspace")]
