"""The admin's navigation, grouped by what HR does (dashboard/admin_site.py): on the home page
and every other admin page, sections of the lists and pages a role may see, and nothing of
Django's users and groups for a workspace's staff."""

import re

import pytest
from django.contrib import admin

from dashboard.admin_site import SECTIONS, AdminSite

from ..factories import WorkspaceFactory
from ..staff import member_client, superuser_client_in

pytestmark = pytest.mark.django_db


def sections(html: str) -> list[str]:
    """The navigation's section names, in order."""
    sidebar = html.split('id="nav-sidebar"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'class="section"[^>]*>([^<]+)</a>', sidebar)


def links(html: str) -> dict[str, str]:
    sidebar = html.split('id="nav-sidebar"', 1)[1].split("</nav>", 1)[0]
    return {
        name.strip(): href
        for href, name in re.findall(r'<th scope="row"[^>]*>\s*<a href="([^"]+)"[^>]*>([^<]+)</a>', sidebar)
    }


def test_the_site_is_the_grouped_one_and_every_registered_model_is_placed():
    assert isinstance(admin.site, AdminSite)
    placed = {key for section in SECTIONS for key in section.models}
    registered = {f"{model._meta.app_label}.{model.__name__}" for model in admin.site._registry}
    # Every model of PulseHR has its section; only Django's own users and groups are left to their app.
    assert registered - placed == {"auth.User", "auth.Group"}
    assert placed <= registered


def test_hr_staff_see_the_sections_with_their_pages_and_no_users_or_groups():
    workspace = WorkspaceFactory()
    client = member_client(workspace, role="hr")
    home = client.get("/admin/").content.decode()
    assert sections(home) == ["People", "Time off", "Engagement", "Developers"]
    found = links(home)
    assert found["Employees"] == "/admin/employees/employee/"
    assert found["Leave requests"] == "/admin/leave/leave/"
    assert found["Team calendar"] == "/admin/leave/leave/team-calendar/"
    assert found["Team health"] == "/admin/team-health/"
    assert found["Developer portal"] == "/developers"
    assert found["API reference"] == "/v1/docs"
    assert found["Collaboration demo"] == "/collab/demo/"
    assert "Users" not in found and "Groups" not in found
    assert client.get("/admin/auth/user/").status_code == 403
    assert client.get("/admin/auth/group/").status_code == 403
    # The same navigation on a list page.
    assert sections(client.get("/admin/kudos/kudos/").content.decode()) == sections(home)


def test_superusers_also_find_django_users_and_groups_last():
    workspace = WorkspaceFactory()
    client = superuser_client_in(workspace)
    home = client.get("/admin/").content.decode()
    assert sections(home)[:4] == ["People", "Time off", "Engagement", "Developers"]
    assert sections(home)[4:] == ["Authentication and Authorization"]
    assert {"Users", "Groups"} <= set(links(home))


def test_an_apps_own_page_keeps_djangos_list_of_that_app():
    client = superuser_client_in(WorkspaceFactory())
    page = client.get("/admin/leave/").content.decode()
    assert page.count('class="app-leave module') >= 1
