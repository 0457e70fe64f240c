"""What the worker logs about a send: the endpoint's id and its URL without the credentials,
query or fragment an integrator may have put in it (tokens live there), through the real
delivery code path to a real local HTTP receiver."""

import logging

import pytest

from webhooks.delivery import delivery_attempt
from webhooks.models import WebhookEndpoint
from webhooks.transport import loggable_url

pytestmark = pytest.mark.django_db

SECRETS = ("user", "pass", "token=secret", "secret", "frag")


def _with_credentials(endpoint, url: str) -> None:
    # The service refuses user:pass@ in a URL today; rows made before that rule, or imported, may hold one.
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(url=url)


def _leaks(records) -> list[str]:
    return [r.getMessage() for r in records if any(s in r.getMessage() for s in SECRETS)]


@pytest.mark.parametrize("outcome", ["delivered", "refused with 500"])
def test_the_worker_logs_the_endpoint_id_and_never_the_urls_credentials_or_query(
    outcome, receiver, make_endpoint, make_delivery, caplog
):
    receiver.answer("/path?token=secret", status=200 if outcome == "delivered" else 500)
    endpoint = make_endpoint(url=receiver.url("/path"))
    port = receiver.server.server_port
    _with_credentials(endpoint, f"http://user:pass@127.0.0.1:{port}/path?token=secret#frag")
    delivery = make_delivery(endpoint)

    with caplog.at_level(logging.DEBUG):
        attempt = delivery_attempt(delivery.pk)

    assert attempt is not None and attempt.status_code == (200 if outcome == "delivered" else 500)
    assert receiver.received("/path?token=secret")  # the send itself keeps the full URL
    assert _leaks(caplog.records) == []
    lines = [r.getMessage() for r in caplog.records if r.name == "pulsehr.webhooks"]
    assert any(endpoint.pk in line and f"http://127.0.0.1:{port}/path" in line for line in lines), lines


def test_a_failed_connection_to_an_https_url_logs_no_credentials_either(receiver, make_endpoint, make_delivery, caplog):
    endpoint = make_endpoint(url=receiver.url("/path"))
    port = receiver.server.server_port
    # https to a plain-http server: the TLS handshake fails and the error is logged.
    _with_credentials(endpoint, f"https://user:pass@127.0.0.1:{port}/path?token=secret")
    delivery = make_delivery(endpoint)

    with caplog.at_level(logging.DEBUG):
        attempt = delivery_attempt(delivery.pk)

    assert attempt is not None and not attempt.succeeded
    assert _leaks(caplog.records) == []
    assert any(endpoint.pk in r.getMessage() for r in caplog.records if r.name == "pulsehr.webhooks")


@pytest.mark.parametrize(
    ("url", "logged"),
    [
        ("https://user:pass@host/path?token=secret", "https://host/path"),
        ("https://host:8443/a/b?x=1#f", "https://host:8443/a/b"),
        ("https://[::1]:8443/p", "https://[::1]:8443/p"),
        ("https://host", "https://host"),
        ("not a url", "not a url"),
    ],
)
def test_loggable_url_drops_userinfo_query_and_fragment(url, logged):
    assert loggable_url(url) == logged
