import re

import pytest
from django.test.utils import override_settings

pytestmark = pytest.mark.django_db

ISO_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def test_every_authenticated_response_carries_the_three_headers(api, employee):
    for response in (
        api.get("/v1/employees"),
        api.get(f"/v1/employees/{employee.pk}"),
        api.get("/v1/employees/emp_01J0000000000000000000000"),
        api.get("/v1/employees", {"limit": 0}),
    ):
        assert response["X-RateLimit-Limit"] == "1000"
        assert int(response["X-RateLimit-Remaining"]) < 1000
        assert ISO_UTC.match(response["X-RateLimit-Reset"])


@override_settings(PULSEHR_RATE_LIMIT=3)
def test_429_with_retry_after_once_the_limit_is_spent(api, make_api, workspace):
    remaining = [api.get("/v1/employees")["X-RateLimit-Remaining"] for _ in range(3)]
    assert remaining == ["2", "1", "0"]
    limited = api.get("/v1/employees")
    assert limited.status_code == 429
    assert limited.json()["error"]["code"] == "rate_limited"
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert limited["X-RateLimit-Remaining"] == "0"
    # Keys are counted separately.
    assert make_api(workspace).get("/v1/employees").status_code == 200


@override_settings(PULSEHR_RATE_LIMIT=0)
def test_a_limit_of_zero_turns_limiting_off(api):
    for _ in range(5):
        response = api.get("/v1/employees")
        assert response.status_code == 200
        assert "X-RateLimit-Limit" not in response
