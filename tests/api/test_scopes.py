import pytest

pytestmark = pytest.mark.django_db

BODY = {"full_name": "Scoped", "start_date": "2024-01-01"}


def calls(employee):
    return [
        ("read", "get", "/v1/employees", None),
        ("read", "get", f"/v1/employees/{employee.pk}", None),
        ("write", "post", "/v1/employees", BODY),
        ("write", "patch", f"/v1/employees/{employee.pk}", {"role": "X"}),
        ("write", "delete", f"/v1/employees/{employee.pk}", None),
    ]


# scope → which actions it allows on employees
MATRIX = {
    "read:*": {"read"},
    "write:*": {"read", "write"},
    "read:employees": {"read"},
    "write:employees": {"read", "write"},
    "read:leave": set(),
    "write:leave": set(),
    "read:leave,write:kudos": set(),
    "read:employees,write:kudos": {"read"},
}


@pytest.mark.parametrize("scopes,allowed", MATRIX.items())
def test_scope_matrix(make_api, workspace, make_employee, scopes, allowed):
    api = make_api(workspace, scopes=scopes)
    for action, method, path, body in calls(make_employee()):
        response = getattr(api, method)(path, body)
        if action in allowed:
            assert response.status_code in (200, 201), (scopes, method, path, response.content)
        else:
            assert response.status_code == 403, (scopes, method, path)
            assert response.json()["error"]["code"] == "permission_denied"
