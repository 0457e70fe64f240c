"""The admin site, its navigation grouped by what HR does rather than by Django app: People,
Time off, Engagement, Developers, with the pages that are not model lists (the team calendar,
team health, /developers, the API reference, the collaboration demo) beside the lists they
belong with. Installed as Django's default site by dashboard.apps.AdminConfig, so every
`admin.site.register` registers here.

Django's own admin, restyled, rather than django-unfold: unfold's pages run on Alpine.js, which
needs 'unsafe-eval' and inline styles that our Content-Security-Policy refuses (under it, the
sign-in button sits behind a modal that never hides), and it would have every ModelAdmin and
our templates rewritten to its classes."""

from dataclasses import dataclass

from django.contrib import admin
from django.urls import reverse


@dataclass(frozen=True)
class Link:
    """A page of a section that is not a model's list: a URL name, or a path outside the admin."""

    name: str
    target: str

    def url(self) -> str:
        return self.target if self.target.startswith("/") else reverse(self.target)


@dataclass(frozen=True)
class Section:
    name: str
    slug: str
    models: tuple[str, ...]  # "app_label.ObjectName", in the order shown
    links: tuple[Link, ...] = ()


SECTIONS = (
    Section("People", "people", ("employees.Employee", "tenancy.Workspace")),
    Section(
        "Time off",
        "time-off",
        ("leave.Leave", "leave.LeaveLedgerEntry", "leave.CompanyDayOff", "leave.CalendarFeed"),
        (Link("Team calendar", "admin:leave_leave_team_calendar"),),
    ),
    Section(
        "Engagement",
        "engagement",
        ("statuslog.StatusLogEntry", "kudos.Kudos", "workload.WorkloadCheckin", "collab.Thread"),
        (Link("Team health", "admin_team_health"), Link("Collaboration demo", "/collab/demo/")),
    ),
    Section(
        "Developers",
        "developers",
        ("tenancy.ApiKey", "webhooks.WebhookEndpoint", "webhooks.Event", "webhooks.Delivery"),
        (Link("Developer portal", "/developers"), Link("Ecosystem", "/ecosystem"), Link("API reference", "/v1/docs")),
    ),
)
# What a section does not claim (Django's users and groups, for superusers) keeps its app's group.


class AdminSite(admin.AdminSite):
    site_header = "PulseHR"
    site_title = "PulseHR"
    index_title = "Dashboard"

    def get_app_list(self, request, app_label=None):
        """The sections, each with the models this user may see and then its pages; an app's own
        index page (/admin/<app>/) keeps Django's list of that app."""
        apps = super().get_app_list(request, app_label)
        if app_label is not None:
            return apps
        visible = {f"{app['app_label']}.{model['object_name']}": model for app in apps for model in app["models"]}
        grouped = []
        for section in SECTIONS:
            models = [visible.pop(key) for key in section.models if key in visible]
            if not models:  # links only beside lists this user sees: a viewer of nothing gets no links
                continue
            pages = [_page(link) for link in section.links]
            grouped.append(
                {
                    "name": section.name,
                    "app_label": section.slug,
                    "app_url": models[0]["admin_url"],
                    "has_module_perms": True,
                    "models": models + pages,
                }
            )
        for app in apps:
            rest = [model for model in app["models"] if f"{app['app_label']}.{model['object_name']}" in visible]
            if rest:
                grouped.append({**app, "models": rest})
        return grouped


def _page(link: Link) -> dict:
    """A link in the shape Django's app list renders: a name and a URL, nothing to add."""
    return {
        "name": link.name,
        "object_name": link.name.replace(" ", ""),
        "admin_url": link.url(),
        "add_url": None,
        "view_only": True,
        "perms": {"add": False, "change": False, "delete": False, "view": True},
    }
