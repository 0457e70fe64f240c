import pytest

pytestmark = pytest.mark.django_db

# scope → which actions it allows on kudos
MATRIX = {
    "read:kudos": {"read"},
    "write:kudos": {"read", "write"},
    "read:*": {"read"},
    "write:*": {"read", "write"},
    "read:leave": set(),
    "write:leave": set(),
    "read:employees,write:leave": set(),
    "read:kudos,write:employees": {"read"},
}


@pytest.mark.parametrize("scopes,allowed", MATRIX.items())
def test_scope_matrix(make_api, workspace, body, scopes, allowed):
    api = make_api(workspace, scopes=scopes)
    for action, method, data in (("read", "get", None), ("write", "post", body(coins=1))):
        response = getattr(api, method)("/v1/kudos", data)
        if action in allowed:
            assert response.status_code in (200, 201), (scopes, method, response.content)
        else:
            assert response.status_code == 403, (scopes, method)
            error = response.json()["error"]
            assert error["code"] == "permission_denied"
            assert f"'{action}:kudos'" in error["message"]


def test_no_key_is_401(client, db):
    response = client.get("/v1/kudos")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"
