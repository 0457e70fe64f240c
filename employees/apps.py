from django.apps import AppConfig


class EmployeesConfig(AppConfig):
    name = "employees"
    # Examples of its request and response bodies in /v1/openapi.json (pulsehr/api/examples.py).
    api_examples = "employees.samples.api_examples"
    verbose_name = "People"
    # The models a workspace's export holds, with their lookup to it (pulsehr/tenancy/portability.py).
    workspace_models = [("employees.employee", "workspace")]

    def ready(self):
        # The core's API keys may act as an employee; who may be bound, and when such a key
        # stops working, are this app's rules, registered in the core's registry.
        from pulsehr.tenancy.bound_keys import employee_binding_register

        from .bound_keys import api_key_employee_check, api_key_employee_lapsed

        employee_binding_register(check=api_key_employee_check, lapsed=api_key_employee_lapsed)
