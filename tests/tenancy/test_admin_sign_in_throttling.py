"""Guessing an admin password is slow: after five wrong passwords for one username from one
client address, that username is refused from that address for 15 minutes with a page that says
so (429), while the same person signs in from elsewhere. A successful sign-in clears the count.
Every attempt goes through the admin's real login form, CSRF token included."""

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from ..staff import staff_user

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")
INDEX = reverse("admin:index")
HOME = "10.0.0.1"
ELSEWHERE = "10.0.0.2"


def browser_at(address: str) -> Client:
    return Client(enforce_csrf_checks=True, REMOTE_ADDR=address)


def sign_in(client: Client, username: str, password: str):
    """Fill and submit the admin's login form, as a person would."""
    form = client.get(LOGIN, {"next": INDEX})
    assert form.status_code == 200
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', form.content).group(1).decode()
    return client.post(
        f"{LOGIN}?next={INDEX}",
        {"csrfmiddlewaretoken": token, "username": username, "password": password, "next": INDEX},
    )


def signed_in(client: Client) -> bool:
    return client.get(INDEX).status_code == 200


def refused_as_wrong_password(response) -> bool:
    return response.status_code == 200 and b"Please enter the correct username and password" in response.content


@pytest.fixture
def person(workspace):
    user = staff_user((workspace, "hr"))
    user.set_password("correct horse battery staple")
    user.save()
    return user


def test_the_fifth_wrong_password_locks_the_username_at_that_address_with_a_429_page(person):
    client = browser_at(HOME)
    for _attempt in range(4):
        assert refused_as_wrong_password(sign_in(client, person.username, "wrong"))

    locked = sign_in(client, person.username, "wrong")
    assert locked.status_code == 429
    assert b"Too many failed sign-ins" in locked.content
    assert b"paused for 15 minutes" in locked.content
    assert locked["Retry-After"] == "900"
    assert "Content-Security-Policy" in locked  # the page is a page like the others

    # Even the right password is refused there for now, and no session is made.
    right = sign_in(client, person.username, "correct horse battery staple")
    assert right.status_code == 429
    assert not signed_in(client)


def test_a_locked_username_still_signs_in_from_another_address_and_other_usernames_are_untouched(person, workspace):
    home = browser_at(HOME)
    for _attempt in range(5):
        sign_in(home, person.username, "wrong")
    assert sign_in(home, person.username, "correct horse battery staple").status_code == 429

    elsewhere = browser_at(ELSEWHERE)
    answer = sign_in(elsewhere, person.username, "correct horse battery staple")
    assert answer.status_code == 302 and answer["Location"] == INDEX
    assert signed_in(elsewhere)

    colleague = staff_user((workspace, "hr"))
    colleague.set_password("another long passphrase")
    colleague.save()
    colleague_at_home = browser_at(HOME)
    assert sign_in(colleague_at_home, colleague.username, "another long passphrase").status_code == 302
    assert signed_in(colleague_at_home)


def test_a_successful_sign_in_clears_the_count_of_wrong_passwords(person):
    client = browser_at(HOME)
    for _attempt in range(4):
        assert refused_as_wrong_password(sign_in(client, person.username, "wrong"))
    assert sign_in(client, person.username, "correct horse battery staple").status_code == 302
    client.post(reverse("admin:logout"), {"csrfmiddlewaretoken": client.cookies["csrftoken"].value})

    # Four more wrong passwords after the good one do not add up to five.
    client = browser_at(HOME)
    for _attempt in range(4):
        assert refused_as_wrong_password(sign_in(client, person.username, "wrong"))
    assert sign_in(client, person.username, "correct horse battery staple").status_code == 302
    assert signed_in(client)


def test_the_pause_ends_after_the_cool_off(person):
    client = browser_at(HOME)
    for _attempt in range(5):
        sign_in(client, person.username, "wrong")
    assert sign_in(client, person.username, "correct horse battery staple").status_code == 429

    # Sixteen minutes later (the attempts' clock moved back rather than waiting for it).
    for attempt in AccessAttempt.objects.filter(username=person.username):
        attempt.attempt_time -= timedelta(minutes=16)
        attempt.save(update_fields=["attempt_time"])
    assert sign_in(client, person.username, "correct horse battery staple").status_code == 302
    assert signed_in(client)
