from datetime import timedelta

import pytest
from django.utils import timezone

from pulsehr.tenancy.models import ApiKey
from pulsehr.tenancy.selectors import forget_cached_keys
from pulsehr.tenancy.services import api_key_create, api_key_revoke, hash_api_key

pytestmark = pytest.mark.django_db


def test_keys_have_the_environment_prefix_and_256_random_bits(workspace):
    for environment in ("live", "test"):
        api_key, secret = api_key_create(workspace=workspace, environment=environment, scopes="read:*")
        assert secret.startswith(f"pk_{environment}_")
        assert len(secret.removeprefix(f"pk_{environment}_")) == 43  # base-62: 43 × 5.95 bits ≥ 256
        assert api_key.display_prefix == secret[:12]


def test_only_a_hash_of_the_secret_is_stored(workspace):
    api_key, secret = api_key_create(workspace=workspace, environment="live", scopes="read:*")
    row = ApiKey.objects.filter(pk=api_key.pk).values().get()
    assert secret not in repr(row)
    assert row["hashed_key"] == hash_api_key(secret)


def test_a_revoked_key_is_401(api):
    assert api.get("/v1/employees").status_code == 200
    api_key_revoke(api_key=api.key)
    response = api.get("/v1/employees")
    assert response.status_code == 401
    assert "revoked" in response.json()["error"]["message"]


def test_last_used_at_is_recorded_without_a_write_on_every_request(api, django_assert_num_queries):
    assert api.key.last_used_at is None
    api.get("/v1/employees")
    api.key.refresh_from_db()
    first_use = api.key.last_used_at
    assert first_use is not None and timezone.now() - first_use < timedelta(seconds=5)
    api.get("/v1/employees")
    api.key.refresh_from_db()
    assert api.key.last_used_at == first_use  # within the resolution window: no write
    ApiKey.objects.filter(pk=api.key.pk).update(last_used_at=first_use - timedelta(minutes=5))
    forget_cached_keys()  # as if KEY_CACHE_SECONDS had passed too
    api.get("/v1/employees")
    api.key.refresh_from_db()
    assert api.key.last_used_at > first_use


@pytest.mark.parametrize("scopes", ["", "admin:*", "read:payroll", "read:*,delete:*"])
def test_unknown_scopes_are_refused(workspace, scopes):
    from pulsehr.errors import InvalidInput

    with pytest.raises(InvalidInput):
        api_key_create(workspace=workspace, environment="live", scopes=scopes)
