"""next_attempt_time: the schedule's wait with ±10% jitter, Retry-After within the schedule's
longest step, and never past the retry window, whose end gets one last attempt."""

from datetime import UTC, datetime, timedelta

import pytest

from webhooks.delivery import next_attempt_time
from webhooks.models import Delivery

CREATED = datetime(2024, 5, 15, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def schedule(settings):
    settings.PULSEHR_WEBHOOK_RETRY_SCHEDULE = (10.0, 100.0, 1000.0)
    settings.PULSEHR_WEBHOOK_RETRY_WINDOW_SECONDS = 3600
    return settings


def after_attempt(number: int) -> Delivery:
    return Delivery(created_at=CREATED, attempt_count=number)


@pytest.mark.parametrize("number,step", [(1, 10.0), (2, 100.0), (3, 1000.0)])
def test_each_failed_attempt_waits_its_step_of_the_schedule_with_ten_percent_jitter(number, step):
    now = CREATED + timedelta(seconds=1)
    waits = {(next_attempt_time(after_attempt(number), now) - now).total_seconds() for _ in range(200)}
    assert all(step * 0.9 <= wait <= step * 1.1 for wait in waits)
    assert len(waits) > 100, "jitter spreads the retries"
    assert min(waits) < step * 0.97 and max(waits) > step * 1.03


def test_when_the_schedule_runs_out_there_is_no_next_attempt():
    assert next_attempt_time(after_attempt(4), CREATED + timedelta(seconds=1)) is None


def test_the_last_attempt_lands_on_the_end_of_the_retry_window():
    now = CREATED + timedelta(seconds=3000)  # the 1000 s step would end past the 3600 s window
    assert next_attempt_time(after_attempt(3), now) == CREATED + timedelta(seconds=3600)


@pytest.mark.parametrize("seconds", [3600, 3601, 10_000])
def test_at_or_past_the_end_of_the_retry_window_there_is_no_next_attempt(seconds):
    assert next_attempt_time(after_attempt(1), CREATED + timedelta(seconds=seconds)) is None


def test_the_default_schedule_retries_for_72_hours_and_the_last_attempt_lands_on_the_deadline(settings):
    # The defaults of settings.py.
    settings.PULSEHR_WEBHOOK_RETRY_SCHEDULE = (
        60.0, 300.0, 900.0, 1800.0, 3600.0, 7200.0, 14400.0, 28800.0,
        43200.0, 43200.0, 43200.0, 43200.0, 43200.0, 43200.0,
    )  # fmt: skip
    settings.PULSEHR_WEBHOOK_RETRY_WINDOW_SECONDS = 72 * 3600
    deadline = CREATED + timedelta(hours=72)
    delivery, now, times = after_attempt(0), CREATED, []
    while True:
        delivery.attempt_count += 1
        now = next_attempt_time(delivery, now)
        if now is None:
            break
        times.append(now)
    assert times == sorted(times) and times[-1] == deadline
    assert all(t <= deadline for t in times)
    assert len(times) >= 10


@pytest.mark.parametrize(
    "retry_after,expected",
    [(500.0, 500.0), (5000.0, 1000.0), (1000.0, 1000.0)],
    ids=["longer-than-the-step", "capped-at-the-longest-step", "the-longest-step"],
)
def test_retry_after_replaces_a_shorter_step_up_to_the_schedules_longest(retry_after, expected):
    now = CREATED + timedelta(seconds=1)
    assert next_attempt_time(after_attempt(1), now, retry_after=retry_after) == now + timedelta(seconds=expected)


def test_a_retry_after_shorter_than_the_step_keeps_the_step():
    now = CREATED + timedelta(seconds=1)
    wait = (next_attempt_time(after_attempt(2), now, retry_after=1.0) - now).total_seconds()
    assert 90 <= wait <= 110


def test_retry_after_never_reaches_past_the_retry_window():
    now = CREATED + timedelta(seconds=3500)
    assert next_attempt_time(after_attempt(1), now, retry_after=900.0) == CREATED + timedelta(seconds=3600)
