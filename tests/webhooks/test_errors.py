"""The webhooks' rules raise errors of their own, each of the kind the API maps to its
status (400 for InvalidInput, 422 for RuleViolation) and naming the field at fault."""

import pytest

from pulsehr.errors import InvalidInput, RuleViolation
from webhooks.addresses import webhook_url_checked
from webhooks.errors import InvalidEventTypes, InvalidWebhookUrl, PrivateAddressRefused
from webhooks.services import endpoint_events_validate


@pytest.mark.parametrize(
    ("url", "error", "kind"),
    [
        ("ftp://hooks.example.com/x", InvalidWebhookUrl, InvalidInput),
        ("https://user:pass@hooks.example.com/x", InvalidWebhookUrl, InvalidInput),
        ("https://169.254.169.254/latest", PrivateAddressRefused, RuleViolation),
        ("https://localhost/x", PrivateAddressRefused, RuleViolation),
    ],
)
def test_a_refused_url_raises_its_own_error_naming_url(settings, url, error, kind):
    settings.PULSEHR_WEBHOOK_ALLOW_PRIVATE_URLS = False
    with pytest.raises(error) as raised:
        webhook_url_checked(url)
    assert isinstance(raised.value, kind) and raised.value.fields == ["url"]


@pytest.mark.parametrize("enabled_events", [[], ["*", "employee.created"], ["ping"], ["nope.happened"]])
def test_refused_event_types_raise_their_own_error_naming_enabled_events(enabled_events):
    with pytest.raises(InvalidEventTypes) as raised:
        endpoint_events_validate(enabled_events)
    assert isinstance(raised.value, InvalidInput) and raised.value.fields == ["enabled_events"]
