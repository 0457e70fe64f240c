import pytest

from kudos.models import Kudos
from webhooks.models import Event

pytestmark = pytest.mark.django_db


def test_a_repeated_post_replays_the_first_kudos_and_spends_the_allowance_once(api, body):
    first = api.post("/v1/kudos", body(coins=60), headers={"Idempotency-Key": "thanks-1"})
    again = api.post("/v1/kudos", body(coins=60), headers={"Idempotency-Key": "thanks-1"})
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
    assert Kudos.objects.count() == 1 and Event.objects.count() == 1
    # Had the repeat been applied, 120 coins would have been refused; 40 are still left.
    assert api.post("/v1/kudos", body(coins=40)).status_code == 201


def test_a_refusal_is_replayed_too(api, body):
    api.post("/v1/kudos", body(coins=100))
    refused = api.post("/v1/kudos", body(coins=5), headers={"Idempotency-Key": "over"})
    replay = api.post("/v1/kudos", body(coins=5), headers={"Idempotency-Key": "over"})
    assert refused.status_code == replay.status_code == 422
    assert (
        replay["Idempotent-Replayed"] == "true"
        and replay.json()["error"]["message"] == refused.json()["error"]["message"]
    )


def test_the_same_key_with_a_different_kudos_is_409(api, body):
    api.post("/v1/kudos", body(coins=1), headers={"Idempotency-Key": "k"})
    response = api.post("/v1/kudos", body(coins=2), headers={"Idempotency-Key": "k"})
    assert response.status_code == 409
    assert Kudos.objects.count() == 1
