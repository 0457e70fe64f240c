from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from rest_framework import authentication, exceptions

from pulsehr.tenancy.bound_keys import api_key_lapsed
from pulsehr.tenancy.models import ApiKey
from pulsehr.tenancy.selectors import api_key_for_secret


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer pk_live_…` / `pk_test_…`. The key is the principal, and it
    fixes the workspace and environment of everything the request can see."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header:
            return None
        scheme, _, secret = header.partition(" ")
        secret = secret.strip()
        if scheme.lower() != "bearer" or not secret.startswith(("pk_live_", "pk_test_")):
            raise exceptions.AuthenticationFailed("Malformed Authorization header: expected 'Bearer pk_live_…'.")
        api_key = api_key_for_secret(secret)
        if api_key is None:
            raise exceptions.AuthenticationFailed("Unknown API key.")
        if api_key.revoked_at is not None:
            raise exceptions.AuthenticationFailed("This API key has been revoked.")
        # 401, as for a revoked key (and a room token whose user left): the key no longer stands
        # for anyone. Checked on every request from the employee the lookup joined, so an end
        # date that passes overnight takes effect with no write, and costs no query.
        lapsed = api_key_lapsed(api_key)
        if lapsed:
            raise exceptions.AuthenticationFailed(lapsed)
        self._touch(api_key)
        return api_key, api_key

    def authenticate_header(self, request) -> str:
        return f'{self.keyword} realm="api"'

    @staticmethod
    def _touch(api_key: ApiKey) -> None:
        """Record use, at most once per resolution window, so most requests write nothing."""
        now = timezone.now()
        resolution = timedelta(seconds=settings.PULSEHR_KEY_LAST_USED_RESOLUTION_SECONDS)
        if api_key.last_used_at is None or now - api_key.last_used_at >= resolution:
            ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
            api_key.last_used_at = now
