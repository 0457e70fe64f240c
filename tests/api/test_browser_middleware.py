"""/v1 requests skip the browser machinery (sessions, CSRF, the user, messages); the admin and
/developers keep all of it. The API's own conventions are unchanged by the leaner stack."""

import asyncio

import pytest
from asgiref.sync import sync_to_async
from django.core.management import call_command
from django.db import connections
from django.test import AsyncClient, Client

from tests.staff import member_client, staff_user

pytestmark = pytest.mark.django_db

# A csrftoken cookie of the wrong length: CsrfViewMiddleware replaces it with a fresh one on any
# response it handles, so a Set-Cookie for it shows whether CSRF ran.
MALFORMED_CSRF_COOKIE = "csrftoken=not-a-token; sessionid=whatever"


def test_api_responses_set_no_cookie_and_do_not_vary_on_it_whatever_cookies_a_client_sends(api):
    for path in ("/v1/employees", "/v1/no-such-thing"):
        response = api.get(path, headers={"Cookie": MALFORMED_CSRF_COOKIE})
        assert response.status_code in (200, 404)
        assert not response.cookies, (path, response.cookies)
        assert "Cookie" not in response.get("Vary", ""), path


def test_browser_pages_still_run_csrf_and_replace_a_malformed_token():
    response = Client().get("/admin/login/", HTTP_COOKIE=MALFORMED_CSRF_COOKIE)
    assert response.status_code == 200
    assert "csrftoken" in response.cookies


def test_api_writes_with_a_key_need_no_csrf_token(api):
    api.client.handler.enforce_csrf_checks = True
    response = api.post("/v1/employees", {"full_name": "Ada Lovelace", "start_date": "2024-01-01"})
    assert response.status_code == 201, response.content


def test_admin_posts_without_a_csrf_token_are_refused(workspace):
    user = staff_user((workspace, "hr"))
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user)
    response = strict.post("/admin/employees/employee/add/", {"full_name": "Ada", "start_date": "2024-01-01"})
    assert response.status_code == 403


def test_the_admin_still_authenticates_by_session(workspace):
    assert member_client(workspace).get("/admin/").status_code == 200
    anonymous = Client().get("/admin/")
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/admin/login/")


def test_a_signed_in_session_does_not_authenticate_the_api(workspace):
    response = member_client(workspace).get("/v1/employees")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


def test_api_responses_keep_the_request_id_rate_limit_headers_and_envelope(api):
    response = api.get("/v1/employees")
    assert response.status_code == 200
    assert response["X-Request-Id"].startswith("req_")
    for header in ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"):
        assert header in response
    missing = api.get("/v1/employees/emp_01J00000000000000000000000")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"
    assert missing.json()["error"]["request_id"] == missing["X-Request-Id"]


def test_the_admin_system_checks_still_find_the_middleware_they_need():
    call_command("check", "--fail-level", "WARNING")


@pytest.mark.django_db(transaction=True)  # the async client runs views on another thread
def test_under_asgi_the_api_and_the_admin_both_answer(api, workspace):
    """`make run` serves HTTP from the ASGI application, where the middleware runs in async mode."""
    user = staff_user((workspace, "hr"))

    async def scenario():
        client = AsyncClient()
        await client.aforce_login(user)
        api_response = await client.get("/v1/employees", headers={"Authorization": f"Bearer {api.secret}"})
        admin_response = await client.get("/admin/")
        # The views ran on asgiref's thread for sync code: its connection closes there, so the
        # test database can be dropped at the end of the session.
        await sync_to_async(connections.close_all)()
        return api_response, admin_response

    api_response, admin_response = asyncio.run(scenario())
    assert api_response.status_code == 200
    assert not api_response.cookies
    assert admin_response.status_code == 200


def test_deploy_checks_find_the_csrf_middleware_by_class_not_by_path(settings):
    from pulsehr.api.checks import check_csrf_middleware

    settings.CSRF_COOKIE_SECURE = True
    assert check_csrf_middleware(None) == []
    settings.CSRF_COOKIE_SECURE = False
    assert [message.id for message in check_csrf_middleware(None)] == ["pulsehr.W016"]
    settings.MIDDLEWARE = [path for path in settings.MIDDLEWARE if "Csrf" not in path]
    assert [message.id for message in check_csrf_middleware(None)] == ["pulsehr.W003"]
