"""The send itself: one wall-clock deadline whatever the server does, and no address that
webhooks must not reach, in whichever form it is written."""

import socket
import threading
import time

import pytest

from webhooks import transport
from webhooks.addresses import address_refusal

pytestmark = pytest.mark.usefixtures("webhook_settings")


@pytest.fixture
def dripping_server():
    """A server that answers one byte every 0.3 s: no single read waits long, yet the whole
    answer takes far longer than the timeout."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    answers = {"what": b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"}

    def serve():
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=drip, args=(connection,), daemon=True).start()

    def drip(connection):
        connection.recv(65536)
        for byte in answers["what"]:
            try:
                connection.send(bytes([byte]))
            except OSError:
                return
            time.sleep(0.3)
        connection.close()

    threading.Thread(target=serve, daemon=True).start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/hook", answers
    listener.close()


def test_a_server_dripping_its_status_line_cannot_hold_the_send_past_the_timeout(dripping_server, settings):
    url, _ = dripping_server
    started = time.monotonic()
    result = transport.post(url, b"{}", {})
    assert time.monotonic() - started < settings.PULSEHR_WEBHOOK_TIMEOUT_SECONDS + 0.5
    assert not result.succeeded and result.error.startswith("No response within")


def test_a_server_dripping_its_body_cannot_hold_the_send_past_the_timeout(dripping_server, settings):
    url, answers = dripping_server
    answers["what"] = b"HTTP/1.1 200 OK\r\nContent-Length: 40\r\n\r\n" + b"x" * 40
    started = time.monotonic()
    result = transport.post(url, b"{}", {})
    assert time.monotonic() - started < settings.PULSEHR_WEBHOOK_TIMEOUT_SECONDS + 0.5
    assert not result.succeeded and result.error


@pytest.mark.parametrize(
    "address",
    [
        "64:ff9b::a9fe:a9fe",  # NAT64 of the metadata address
        "64:ff9b::7f00:1",  # NAT64 of loopback
        "64:ff9b:1::a00:1",  # local-use NAT64
        "2002:a9fe:a9fe::1",  # 6to4 of the metadata address
        "::a9fe:a9fe",  # IPv4-compatible
        "::ffff:0:a9fe:a9fe",  # IPv4-translated
        "::ffff:169.254.169.254",  # IPv4-mapped
        "fec0::1",  # site-local
        "fd00:ec2::254",  # unique local (AWS's IPv6 metadata)
        "::1",
        "169.254.169.254",
        "100.64.0.1",  # carrier-grade NAT
        "0.0.0.0",
    ],
)
def test_addresses_webhooks_must_not_reach_are_refused_in_every_form(address):
    assert address_refusal(address) is not None


@pytest.mark.parametrize("address", ["8.8.8.8", "2001:4860:4860::8888", "64:ff9b::808:808"])
def test_public_addresses_pass(address):
    assert address_refusal(address) is None


def test_a_refusal_does_not_reveal_the_internal_address(settings):
    settings.PULSEHR_WEBHOOK_ALLOW_PRIVATE_URLS = False
    result = transport.post("http://localhost:9/hook", b"{}", {})
    assert "is a loopback address" in result.error
    assert "127.0.0.1" not in result.error and "::1" not in result.error


def test_an_http_endpoint_accepted_earlier_is_not_sent_to_once_http_is_turned_off(receiver, settings):
    settings.PULSEHR_WEBHOOK_ALLOW_HTTP = False
    result = transport.post(receiver.url("/ok"), b"{}", {})
    assert "https" in result.error and not result.succeeded
    assert receiver.received() == []


def test_a_name_whose_first_address_refuses_is_sent_to_the_next_one(receiver, monkeypatch):
    # Nothing listens on 127.0.0.2 (the receiver binds 127.0.0.1): as an IPv6 address first in
    # a dual-stack answer is, to a worker without IPv6.
    monkeypatch.setattr(transport, "_resolve", lambda host, port, timeout: ["127.0.0.2", "127.0.0.1"])
    url = receiver.url("/ok").replace("127.0.0.1", "hooks.test")
    result = transport.post(url, b"{}", {})
    assert result.succeeded, result.error
    assert receiver.received()[0].headers["host"].startswith("hooks.test:")
