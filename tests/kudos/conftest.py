import pytest

from ..factories import KudosFactory


@pytest.fixture
def giver(make_employee):
    return make_employee(full_name="Ada Giver")


@pytest.fixture
def receiver(make_employee):
    return make_employee(full_name="Grace Receiver")


@pytest.fixture
def make_kudos():
    return KudosFactory


@pytest.fixture
def body(giver, receiver):
    """A valid POST /v1/kudos body; tests override what they exercise."""

    def make(**overrides):
        return {"from_employee_id": giver.pk, "to_employee_id": receiver.pk, "coins": 10, **overrides}

    return make
