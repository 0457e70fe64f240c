"""The delivery engine, in-process but real: delivery_attempt() (what the Celery task runs)
sends to an HTTP server on 127.0.0.1 and records each outcome, its retry and its effect on
the endpoint."""

import json
from datetime import timedelta
from email.utils import format_datetime

import pytest
import standardwebhooks.webhooks
import stripe
from django.utils import timezone

from webhooks import transport
from webhooks.delivery import delivery_attempt
from webhooks.models import Delivery, DeliveryAttempt, Event, WebhookEndpoint
from webhooks.representations import event_as_dict

from .conftest import TIMEOUT_SECONDS, Answer

pytestmark = pytest.mark.django_db


@pytest.fixture
def send(receiver, make_endpoint, make_delivery):
    """A due delivery to the receiver's `path`, answered as told, sent once: returns the
    attempt, the delivery and the endpoint as they are afterwards."""

    def run(path="/hook", **answer):
        if answer:
            receiver.answer(path, **answer)
        endpoint = make_endpoint(url=receiver.url(path))
        delivery = make_delivery(endpoint)
        attempt = delivery_attempt(delivery.pk)
        delivery.refresh_from_db()
        endpoint.refresh_from_db()
        return attempt, delivery, endpoint

    return run


def make_due(delivery):
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())


def assert_retry_in(delivery, seconds, *, before, after, tolerance):
    assert delivery.status == "pending"
    assert delivery.leased_until is None and delivery.enqueued_at is None and delivery.completed_at is None
    assert before + timedelta(seconds=seconds * (1 - tolerance)) <= delivery.next_attempt_at
    assert delivery.next_attempt_at <= after + timedelta(seconds=seconds * (1 + tolerance))


# --- Outcomes --------------------------------------------------------------------------------


def test_a_2xx_records_the_attempt_and_marks_the_delivery_succeeded(send, receiver):
    attempt, delivery, endpoint = send("/ok", status=200, body=b'{"received": true}')
    assert isinstance(attempt, DeliveryAttempt)
    assert (attempt.number, attempt.status_code, attempt.succeeded, attempt.error) == (1, 200, True, "")
    assert attempt.response_body == '{"received": true}'
    assert 0 <= attempt.duration_ms < TIMEOUT_SECONDS * 1000
    assert abs(attempt.started_at - timezone.now()) < timedelta(seconds=10)
    assert (delivery.status, delivery.attempt_count, delivery.last_status_code) == ("succeeded", 1, 200)
    assert delivery.completed_at is not None and delivery.failure_reason == ""
    assert delivery.next_attempt_at is None and delivery.leased_until is None
    assert list(delivery.attempts.values_list("number", "succeeded")) == [(1, True)]
    assert len(receiver.received("/ok")) == 1


@pytest.mark.parametrize("status", [201, 202, 204])
def test_any_2xx_is_a_success(send, status):
    attempt, delivery, _ = send("/ok", status=status, body=b"")
    assert attempt.succeeded and delivery.status == "succeeded"


def test_the_request_carries_the_event_as_json_with_its_type_and_delivery_id(send, receiver):
    _, delivery, endpoint = send("/ok")
    (request,) = receiver.received("/ok")
    assert json.loads(request.body) == event_as_dict(vars(Event.objects.get(pk=delivery.event_id)))
    assert json.loads(request.body)["data"] == {"endpoint_id": endpoint.pk, "message": "A test event from PulseHR."}
    assert request.headers["content-type"] == "application/json"
    assert request.headers["x-pulse-event"] == "ping"
    assert request.headers["x-pulse-delivery"] == request.headers["webhook-id"] == delivery.pk
    assert request.headers["user-agent"].startswith("PulseHR-Webhooks/")
    assert request.headers["host"] == f"127.0.0.1:{receiver.server.server_port}"


@pytest.mark.parametrize("status", [500, 503, 400, 404])
def test_a_failing_status_records_the_attempt_and_retries_after_the_first_step_with_jitter(send, status):
    before = timezone.now()
    attempt, delivery, endpoint = send("/fail", status=status, body=b"down")
    after = timezone.now()
    assert (attempt.number, attempt.status_code, attempt.succeeded, attempt.response_body) == (1, status, False, "down")
    assert (delivery.attempt_count, delivery.last_status_code, delivery.failure_reason) == (1, status, "")
    assert_retry_in(delivery, 1.0, before=before, after=after, tolerance=0.1)
    assert endpoint.failing_since is not None and not endpoint.disabled


def test_when_the_schedule_runs_out_the_delivery_fails_with_a_reason(send, receiver):
    _, delivery, _ = send("/fail", status=500)
    for number in (2, 3):
        make_due(delivery)
        assert delivery_attempt(delivery.pk).number == number
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempt_count) == ("failed", 3)
    assert delivery.failure_reason == "Gave up after 3 attempts."
    assert delivery.completed_at is not None and delivery.next_attempt_at is None
    assert list(delivery.attempts.values_list("number", "status_code")) == [(1, 500), (2, 500), (3, 500)]
    make_due(delivery)
    assert delivery_attempt(delivery.pk) is None
    assert len(receiver.received("/fail")) == 3


def test_a_retry_that_succeeds_marks_the_delivery_succeeded_and_clears_the_failure_streak(send, receiver):
    _, delivery, endpoint = send("/flaky", status=500)
    assert endpoint.failing_since is not None
    receiver.answer("/flaky", status=200)
    make_due(delivery)
    assert delivery_attempt(delivery.pk).succeeded
    delivery.refresh_from_db()
    endpoint.refresh_from_db()
    assert (delivery.status, delivery.attempt_count) == ("succeeded", 2)
    assert endpoint.failing_since is None


def test_the_delivery_id_is_the_same_on_every_retry(send, receiver):
    _, delivery, _ = send("/fail", status=500)
    make_due(delivery)
    delivery_attempt(delivery.pk)
    requests = receiver.received("/fail")
    assert len(requests) == 2
    assert (
        {r.headers["x-pulse-delivery"] for r in requests}
        == {r.headers["webhook-id"] for r in requests}
        == {delivery.pk}
    )


def test_410_gone_fails_the_delivery_and_disables_the_endpoint_with_a_reason(send, receiver, make_delivery):
    attempt, delivery, endpoint = send("/gone", status=410)
    assert attempt.status_code == 410 and not attempt.succeeded
    assert (delivery.status, delivery.next_attempt_at) == ("failed", None)
    assert "410 Gone" in delivery.failure_reason
    assert endpoint.disabled and "410 Gone" in endpoint.disabled_reason
    assert endpoint.disabled_at is not None and endpoint.version == 2

    # A delivery already on its way to the disabled endpoint is closed without a send.
    later = Delivery.objects.create(
        workspace=endpoint.workspace,
        environment="live",
        event=delivery.event,
        endpoint=endpoint,
        next_attempt_at=timezone.now(),
    )
    assert delivery_attempt(later.pk) is None
    later.refresh_from_db()
    assert later.status == "failed" and later.failure_reason.startswith("Not sent: the endpoint is disabled")
    assert "410 Gone" in later.failure_reason
    assert len(receiver.received("/gone")) == 1


def test_retry_after_is_honoured_when_longer_than_the_schedules_step(send, settings):
    settings.PULSEHR_WEBHOOK_RETRY_SCHEDULE = (1.0, 30.0)
    before = timezone.now()
    _, delivery, _ = send("/busy", status=429, headers={"Retry-After": "20"})
    assert_retry_in(delivery, 20, before=before, after=timezone.now(), tolerance=0.0)


def test_retry_after_as_an_http_date_is_honoured(send, settings):
    settings.PULSEHR_WEBHOOK_RETRY_SCHEDULE = (1.0, 30.0)
    before = timezone.now()
    when = format_datetime(before + timedelta(seconds=20), usegmt=True)
    _, delivery, _ = send("/busy", status=503, headers={"Retry-After": when})
    # An HTTP date has whole seconds: up to one second sooner.
    assert before + timedelta(seconds=18) <= delivery.next_attempt_at <= timezone.now() + timedelta(seconds=20)


def test_retry_after_is_capped_at_the_schedules_longest_step(send, settings):
    settings.PULSEHR_WEBHOOK_RETRY_SCHEDULE = (1.0, 30.0)
    before = timezone.now()
    _, delivery, _ = send("/busy", status=429, headers={"Retry-After": "86400"})
    assert_retry_in(delivery, 30, before=before, after=timezone.now(), tolerance=0.0)


def test_a_retry_after_shorter_than_the_schedule_does_not_shorten_the_wait(send, settings):
    settings.PULSEHR_WEBHOOK_RETRY_SCHEDULE = (10.0, 30.0)
    before = timezone.now()
    _, delivery, _ = send("/busy", status=429, headers={"Retry-After": "0"})
    assert_retry_in(delivery, 10, before=before, after=timezone.now(), tolerance=0.1)


def test_a_response_slower_than_the_timeout_records_an_error_and_retries(send, receiver):
    attempt, delivery, _ = send("/slow", delay=TIMEOUT_SECONDS + 1.5)
    assert attempt.status_code is None and not attempt.succeeded
    assert attempt.error == f"No response within {TIMEOUT_SECONDS:g} s."
    assert TIMEOUT_SECONDS * 1000 * 0.9 <= attempt.duration_ms < (TIMEOUT_SECONDS + 1.5) * 1000
    assert delivery.status == "pending" and delivery.last_status_code is None
    assert len(receiver.received("/slow")) == 1


def test_a_2xx_whose_body_does_not_arrive_within_the_timeout_is_a_failed_attempt(send):
    attempt, delivery, _ = send("/stalls", status=200, body=b"ok, but slowly", stall=TIMEOUT_SECONDS + 1.0)
    assert not attempt.succeeded and attempt.error
    assert attempt.duration_ms < (TIMEOUT_SECONDS + 1.0) * 1000
    assert delivery.status == "pending" and delivery.attempt_count == 1


def test_a_redirect_is_a_failed_attempt_and_is_not_followed(send, receiver):
    attempt, delivery, _ = send("/moved", status=302, headers={"Location": receiver.url("/target")})
    assert attempt.status_code == 302 and not attempt.succeeded
    assert delivery.status == "pending" and delivery.attempt_count == 1
    assert receiver.received("/target") == []


def test_only_the_first_2048_bytes_of_a_large_response_are_kept(send):
    attempt, delivery, _ = send("/big", status=200, body=b"x" * 100_000)
    assert attempt.response_body == "x" * 2048
    assert delivery.status == "succeeded"


def test_a_response_body_that_is_not_utf8_is_kept_with_replacements(send):
    attempt, _, _ = send("/binary", status=500, body=b"\xff\xfe oops")
    assert attempt.response_body == "\ufffd\ufffd oops"


def test_a_refused_connection_records_an_error_and_retries(receiver, make_endpoint, make_delivery):
    port = receiver.server.server_port
    receiver.server.shutdown()
    receiver.server.server_close()
    delivery = make_delivery(make_endpoint(url=f"http://127.0.0.1:{port}/hook"))
    attempt = delivery_attempt(delivery.pk)
    assert attempt.status_code is None and attempt.error.startswith("Could not connect")
    delivery.refresh_from_db()
    assert delivery.status == "pending" and delivery.attempt_count == 1


@pytest.mark.parametrize("host", ["a..b.example.com", "a" * 64 + ".example.com"])
def test_a_host_name_that_cannot_be_encoded_records_an_error_and_retries_instead_of_crashing_the_worker(
    receiver, make_endpoint, make_delivery, host
):
    # Creation refuses such names now; a row stored before that check must still not crash a worker.
    endpoint = make_endpoint(url="https://hooks.example.com/hook")
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(url=f"https://{host}/hook")
    delivery = make_delivery(endpoint)
    attempt = delivery_attempt(delivery.pk)
    assert attempt.status_code is None and attempt.error.startswith(f"Could not resolve {host}")
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempt_count, delivery.leased_until) == ("pending", 1, None)


def test_an_endpoint_deleted_during_the_send_leaves_nothing_behind(receiver, make_endpoint, make_delivery, monkeypatch):
    endpoint = make_endpoint(url=receiver.url("/ok"))
    delivery = make_delivery(endpoint)
    real_post = transport.post

    def post_then_delete(url, body, headers):
        result = real_post(url, body, headers)
        WebhookEndpoint.objects.filter(pk=endpoint.pk).delete()
        return result

    monkeypatch.setattr("webhooks.delivery.transport.post", post_then_delete)
    assert delivery_attempt(delivery.pk) is None
    assert not Delivery.objects.exists() and not DeliveryAttempt.objects.exists()
    assert len(receiver.received("/ok")) == 1


# --- Signatures ------------------------------------------------------------------------------


def test_both_signature_schemes_verify_with_the_endpoints_secret(send, receiver):
    _, _, endpoint = send("/ok")
    (request,) = receiver.received("/ok")
    assert stripe.WebhookSignature.verify_header(
        request.body.decode(), request.headers["x-pulse-signature"], endpoint.secret, tolerance=300
    )
    assert standardwebhooks.webhooks.Webhook(endpoint.secret).verify(request.body, request.headers)["type"] == "ping"
    timestamp = request.headers["webhook-timestamp"]
    assert request.headers["x-pulse-signature"].startswith(f"t={timestamp},v1=")
    assert abs(int(timestamp) - timezone.now().timestamp()) < 60


def test_a_signature_does_not_verify_with_another_secret_or_a_changed_body(send, receiver, make_endpoint):
    _, _, endpoint = send("/ok")
    (request,) = receiver.received("/ok")
    stranger = make_endpoint().secret
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.WebhookSignature.verify_header(
            request.body.decode(), request.headers["x-pulse-signature"], stranger, tolerance=300
        )
    with pytest.raises(standardwebhooks.webhooks.WebhookVerificationError):
        standardwebhooks.webhooks.Webhook(stranger).verify(request.body, request.headers)
    tampered = request.body.replace(b"ping", b"pong")
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.WebhookSignature.verify_header(
            tampered.decode(), request.headers["x-pulse-signature"], endpoint.secret, tolerance=300
        )
    with pytest.raises(standardwebhooks.webhooks.WebhookVerificationError):
        standardwebhooks.webhooks.Webhook(endpoint.secret).verify(tampered, request.headers)


def test_after_a_rotation_both_secrets_verify_until_the_overlap_ends(receiver, make_endpoint, make_delivery, tenant):
    from webhooks.services import endpoint_rotate_secret

    endpoint = make_endpoint(url=receiver.url("/ok"))
    old = endpoint.secret
    endpoint = endpoint_rotate_secret(tenant=tenant, endpoint=endpoint)
    new = endpoint.secret
    delivery_attempt(make_delivery(endpoint).pk)
    (request,) = receiver.received("/ok")
    assert request.headers["x-pulse-signature"].count("v1=") == 2
    assert request.headers["webhook-signature"].count("v1,") == 2
    for secret in (new, old):
        assert stripe.WebhookSignature.verify_header(
            request.body.decode(), request.headers["x-pulse-signature"], secret, tolerance=300
        )
        assert standardwebhooks.webhooks.Webhook(secret).verify(request.body, request.headers)

    # Once the overlap is over only the new secret signs.
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(previous_secret_expires_at=timezone.now())
    delivery_attempt(make_delivery(endpoint).pk)
    request = receiver.received("/ok")[1]
    assert request.headers["x-pulse-signature"].count("v1=") == 1
    assert standardwebhooks.webhooks.Webhook(new).verify(request.body, request.headers)
    with pytest.raises(standardwebhooks.webhooks.WebhookVerificationError):
        standardwebhooks.webhooks.Webhook(old).verify(request.body, request.headers)
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.WebhookSignature.verify_header(
            request.body.decode(), request.headers["x-pulse-signature"], old, tolerance=300
        )


# --- Refused addresses -----------------------------------------------------------------------


def test_a_send_to_a_loopback_address_is_refused_unless_private_urls_are_allowed(
    receiver, make_endpoint, make_delivery, settings
):
    delivery = make_delivery(make_endpoint(url=receiver.url("/ok")))
    settings.PULSEHR_WEBHOOK_ALLOW_PRIVATE_URLS = False
    attempt = delivery_attempt(delivery.pk)
    assert attempt.status_code is None and not attempt.succeeded
    assert "loopback" in attempt.error and "127.0.0.1" in attempt.error
    delivery.refresh_from_db()
    assert delivery.status == "pending" and delivery.attempt_count == 1
    assert receiver.received() == []


def test_a_host_name_that_resolves_to_loopback_is_refused_at_send_time(
    receiver, make_endpoint, make_delivery, settings
):
    """An endpoint saved while private URLs were allowed is still checked, by its resolved
    addresses, when it is sent to."""
    delivery = make_delivery(make_endpoint(url=f"http://localhost:{receiver.server.server_port}/ok"))
    settings.PULSEHR_WEBHOOK_ALLOW_PRIVATE_URLS = False
    attempt = delivery_attempt(delivery.pk)
    assert "loopback" in attempt.error
    assert receiver.received() == []


# --- What is not sent ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "state",
    [
        {"next_attempt_at": "future"},
        {"next_attempt_at": None},
        {"leased_until": "future", "attempt_count": 1},
        {"status": "succeeded", "next_attempt_at": None},
        {"status": "failed", "next_attempt_at": None},
        {"status": "succeeded"},
    ],
    ids=["not-yet-due", "no-due-time", "leased", "succeeded", "failed", "succeeded-with-a-stale-due-time"],
)
def test_a_delivery_not_due_leased_or_finished_is_not_sent(receiver, make_endpoint, make_delivery, state):
    delivery = make_delivery(make_endpoint(url=receiver.url("/ok")))
    future = timezone.now() + timedelta(minutes=5)
    Delivery.objects.filter(pk=delivery.pk).update(**{k: future if v == "future" else v for k, v in state.items()})
    assert delivery_attempt(delivery.pk) is None
    assert receiver.received() == []
    assert not DeliveryAttempt.objects.exists()


def test_an_unknown_delivery_is_ignored(receiver):
    assert delivery_attempt("del_01J0000000000000000000000Z") is None
    assert receiver.received() == []


def test_a_lease_left_by_a_dead_worker_is_logged_as_abandoned_and_the_next_attempt_is_sent(
    receiver, make_endpoint, make_delivery
):
    delivery = make_delivery(make_endpoint(url=receiver.url("/ok")))
    expired = timezone.now() - timedelta(seconds=1)
    Delivery.objects.filter(pk=delivery.pk).update(attempt_count=1, leased_until=expired)
    attempt = delivery_attempt(delivery.pk)
    assert (attempt.number, attempt.succeeded) == (2, True)
    abandoned, sent = DeliveryAttempt.objects.filter(delivery=delivery).order_by("number")
    assert (abandoned.number, abandoned.status_code, abandoned.succeeded) == (1, None, False)
    assert "the worker holding this delivery stopped" in abandoned.error
    assert abandoned.started_at < expired
    assert sent == attempt
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempt_count) == ("succeeded", 2)
    assert [r.headers["x-pulse-delivery"] for r in receiver.received()] == [delivery.pk]


def test_a_delivery_whose_sends_keep_killing_their_worker_still_gives_up_at_the_end_of_the_schedule(
    receiver, make_endpoint, make_delivery
):
    delivery = make_delivery(make_endpoint(url=receiver.url("/ok")))
    # Schedule (1, 1): three attempts in all, the third of which never came back.
    Delivery.objects.filter(pk=delivery.pk).update(attempt_count=3, leased_until=timezone.now() - timedelta(seconds=1))
    assert delivery_attempt(delivery.pk) is None
    delivery.refresh_from_db()
    assert (delivery.status, delivery.failure_reason) == ("failed", "Gave up after 3 attempts.")
    assert delivery.leased_until is None and delivery.next_attempt_at is None
    assert DeliveryAttempt.objects.get(delivery=delivery).number == 3  # the abandoned one, logged
    assert receiver.received() == []


def test_an_unexpected_error_while_sending_costs_an_attempt_and_does_not_leave_the_delivery_leased(
    receiver, make_endpoint, make_delivery, monkeypatch
):
    delivery = make_delivery(make_endpoint(url=receiver.url("/ok")))

    def broken_post(url, body, headers):
        raise RuntimeError("a bug")

    monkeypatch.setattr("webhooks.delivery.transport.post", broken_post)
    attempt = delivery_attempt(delivery.pk)
    assert (attempt.succeeded, attempt.error) == (False, "Internal error: RuntimeError.")
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempt_count, delivery.leased_until) == ("pending", 1, None)


def test_a_send_that_outlived_its_lease_does_not_overwrite_the_worker_that_took_over(
    receiver, make_endpoint, make_delivery, monkeypatch
):
    delivery = make_delivery(make_endpoint(url=receiver.url("/fail")))
    receiver.answers["/fail"] = Answer(status=500)
    real_post = transport.post

    def slow_post(url, body, headers):
        result = real_post(url, body, headers)
        # Meanwhile the lease lapsed and another worker claimed attempt 2 and succeeded.
        Delivery.objects.filter(pk=delivery.pk).update(
            status="succeeded", attempt_count=2, leased_until=None, next_attempt_at=None
        )
        return result

    monkeypatch.setattr("webhooks.delivery.transport.post", slow_post)
    assert delivery_attempt(delivery.pk) is None
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempt_count) == ("succeeded", 2)
    assert not DeliveryAttempt.objects.filter(delivery=delivery).exists()


# --- Days of failures disable an endpoint ------------------------------------------------------


def test_a_failure_after_the_endpoint_has_failed_long_enough_disables_it(send, settings, receiver, make_endpoint):
    settings.PULSEHR_WEBHOOK_DISABLE_AFTER_SECONDS = 60
    _, delivery, endpoint = send("/fail", status=500)
    assert not endpoint.disabled, "one failure is not enough"
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(failing_since=timezone.now() - timedelta(seconds=61))
    make_due(delivery)
    delivery_attempt(delivery.pk)
    endpoint.refresh_from_db()
    assert endpoint.disabled and endpoint.disabled_at is not None
    assert endpoint.disabled_reason.startswith("Every delivery attempt failed from ")
    assert "so it was disabled" in endpoint.disabled_reason

    # The pending retry is then closed without a send.
    make_due(delivery)
    assert delivery_attempt(delivery.pk) is None
    delivery.refresh_from_db()
    assert delivery.status == "failed" and "the endpoint is disabled" in delivery.failure_reason
    assert len(receiver.received("/fail")) == 2


def test_failures_within_the_limit_keep_the_first_failure_time(send, settings):
    settings.PULSEHR_WEBHOOK_DISABLE_AFTER_SECONDS = 3600
    _, delivery, endpoint = send("/fail", status=500)
    first = endpoint.failing_since
    make_due(delivery)
    delivery_attempt(delivery.pk)
    endpoint.refresh_from_db()
    assert endpoint.failing_since == first and not endpoint.disabled


def test_a_success_clears_the_failure_streak_so_the_endpoint_is_not_disabled(send, settings, receiver):
    settings.PULSEHR_WEBHOOK_DISABLE_AFTER_SECONDS = 60
    _, delivery, endpoint = send("/flaky", status=500)
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(failing_since=timezone.now() - timedelta(seconds=30))
    receiver.answer("/flaky", status=200)
    make_due(delivery)
    assert delivery_attempt(delivery.pk).succeeded
    endpoint.refresh_from_db()
    assert endpoint.failing_since is None and not endpoint.disabled
