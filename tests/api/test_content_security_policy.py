"""Every page family carries the Content-Security-Policy: the admin, /developers, /ecosystem, the
collaboration demo and the API reference. Scripts and styles come from this origin only (or
carry the request's nonce), never inline, and the collaboration socket may reach the page's own
host. The browser side (no page breaks under it) is tests/e2e/test_content_security_policy.py."""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.admin.utils import quote
from django.test import Client
from django.urls import reverse

from ..staff import member_client

pytestmark = pytest.mark.django_db

# PulseHR's own apps (not the installed packages, whose pages the browser tests cover).
OWN_APPS = [
    Path(config.path)
    for config in apps.get_app_configs()
    if Path(config.path).is_relative_to(settings.BASE_DIR) and "site-packages" not in Path(config.path).parts
]
TEMPLATE_DIRS = [Path(settings.BASE_DIR) / "templates", *(app / "templates" for app in OWN_APPS)]
STATIC_SCRIPTS = [script for app in OWN_APPS for script in (app / "static").rglob("*.js")]


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def assert_the_policy(response, *, socket_origin: str = "ws://testserver") -> dict[str, list[str]]:
    directives = policy(response)
    nonce = [source for source in directives["script-src"] if source.startswith("'nonce-")]
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'", *nonce]
    assert [s for s in directives["style-src"] if not s.startswith("'nonce-")] == ["'self'"]
    assert directives["img-src"] == ["'self'", "data:"]
    assert directives["connect-src"] == ["'self'", socket_origin]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]
    return directives


def test_every_page_family_carries_the_policy(workspace, employee):
    client = member_client(workspace, "hr")
    pages = {
        "admin dashboard": reverse("admin:index"),
        "admin list": reverse("admin:employees_employee_changelist"),
        "admin change page": reverse("admin:employees_employee_change", args=[quote(employee.pk)]),
        "developers": reverse("developers:api_keys"),
        "developers webhooks": reverse("developers:endpoints"),
        "ecosystem": reverse("developers:ecosystem"),
        "collaboration demo": reverse("collab:demo") + f"?room=standup&as={employee.pk}",
    }
    for family, path in pages.items():
        response = client.get(path)
        assert response.status_code == 200, family
        assert_the_policy(response)

    login = Client().get(reverse("admin:login"))
    assert login.status_code == 200
    assert_the_policy(login)


def test_over_https_the_socket_source_is_wss_on_the_same_host(workspace, employee):
    response = member_client(workspace, "hr").get(reverse("collab:demo"), secure=True, HTTP_HOST="localhost")
    assert_the_policy(response, socket_origin="wss://localhost")


def test_the_api_reference_runs_its_script_from_a_file_and_its_page_style_by_nonce():
    page = Client().get("/v1/docs")
    directives = assert_the_policy(page)
    [style] = re.findall(rb'<style nonce="([^"]+)">', page.content)
    assert f"'nonce-{style.decode()}'" in directives["style-src"]
    assert re.findall(rb"<script(?![^>]*\bsrc=)", page.content) == []
    [script_url] = re.findall(rb'<script src="(/v1/docs\?[^"]*)"', page.content)

    script = Client().get(script_url.decode())
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle" in script.content


def test_a_json_answer_forbids_everything_and_is_never_framed(api, employee):
    """JSON is never a page: answers, errors and the OpenAPI document get the strictest policy
    instead of the pages' (whose nonce and socket origin would be built for nothing)."""
    answers = {
        "a list": api.get("/v1/employees"),
        "an error": api.get("/v1/employees/emp_missing"),
        "no key": Client().get("/v1/employees"),
        "the OpenAPI document": Client().get("/v1/openapi.json"),
    }
    for what, response in answers.items():
        assert re.fullmatch(r"application/(json|[\w.+-]+\+json)", response["Content-Type"].split(";")[0]), what
        assert policy(response) == {"default-src": ["'none'"], "frame-ancestors": ["'none'"]}, what


def test_no_template_or_static_script_has_inline_script_style_or_handlers():
    """What the policy would refuse: caught here by name, before a browser finds a broken page."""
    inline = re.compile(
        r"<script(?![^>]*\b(src|nonce)=)[^>]*>"  # an inline script without the nonce
        r"|<style(?![^>]*\bnonce=)[^>]*>"  # an inline stylesheet without the nonce
        r"|\sstyle=[\"']"  # a style attribute
        r"|\son[a-z]+=[\"']",  # an event-handler attribute
        re.IGNORECASE,
    )
    found = []
    for directory in TEMPLATE_DIRS:
        for template in directory.rglob("*.html"):
            for number, line in enumerate(template.read_text().splitlines(), 1):
                if inline.search(line):
                    found.append(f"{template.relative_to(settings.BASE_DIR)}:{number}: {line.strip()}")
    handler_or_style = re.compile(
        r"setAttribute\(\s*[\"'](style|on[a-z]+)[\"']"  # a style or handler attribute set from script
        r"|\.innerHTML\s*=|\beval\(|new Function\("  # markup or code from strings
    )
    for script in STATIC_SCRIPTS:
        for number, line in enumerate(script.read_text().splitlines(), 1):
            if handler_or_style.search(line):
                found.append(f"{script.relative_to(settings.BASE_DIR)}:{number}: {line.strip()}")
    assert STATIC_SCRIPTS and found == []
