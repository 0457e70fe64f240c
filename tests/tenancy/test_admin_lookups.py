"""An admin list answers only the query parameters its declared list filters, search and date
hierarchy read (plus ordering, paging and popups): Django would otherwise apply any lookup on a
model's own fields, and `?secret__startswith=whsec_a` answering one row or none gives a webhook
signing secret away to a binary search. Every refusal is the same 400 with no rows. Secret
fields (a model's `secret_fields`) are never filtered, searched, sorted by, shown or exported.
Walks every registered ModelAdmin, so a new admin is checked from its first day."""

import re

import pytest
from django.contrib import admin
from django.contrib.admin import FieldListFilter
from django.contrib.admin.utils import get_fields_from_path, quote
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.messages.storage import default_storage
from django.db import transaction
from django.test import RequestFactory
from django.urls import reverse

from pulsehr.tenancy.admin_base import touches_secret
from pulsehr.tenancy.context import SYSTEM, Tenant
from pulsehr.tenancy.models import ApiKey, Workspace
from pulsehr.tenancy.services import api_key_create
from webhooks import services as webhook_services
from webhooks.admin import WebhookEndpointAdmin
from webhooks.models import Delivery, WebhookEndpoint
from webhooks.outbox import event_record

from ..factories import WorkspaceFactory
from ..staff import member_client, superuser_client_in
from .admin_rows import rows_in

pytestmark = pytest.mark.django_db

ADMINS = {model._meta.label: model_admin for model, model_admin in admin.site._registry.items()}
ROLES = ["viewer", "hr", "owner"]
# Fields named like a secret that are not one of the model's declared `secret_fields`, and why.
NOT_SECRETS = {
    "auth.User.password": "Django's hash; its admin shows only a masked summary, and lists answer no lookup on it",
    "webhooks.WebhookEndpoint.previous_secret_expires_at": "when the previous secret stops signing: a time",
}
LOOKS_SECRET = re.compile(r"secret|hash|token|password|credential", re.IGNORECASE)


def url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def is_refused(response) -> bool:
    """The one refusal: 400, and no change list (hence no rows) in the answer."""
    return response.status_code == 400 and not (response.context and "cl" in response.context)


def declared_parameters(model_admin, request) -> set[str]:
    """The query parameters the admin's declared list filters and date hierarchy read, found as
    Django's ChangeList finds them (every filter, whether or not it has choices to show), and a
    declared field filter's path itself."""
    parameters = set()
    for item in model_admin.get_list_filter(request):
        if callable(item) and not isinstance(item, tuple | list):
            spec = item(request, {}, model_admin.model, model_admin)
        else:
            path, filter_class = item if isinstance(item, tuple | list) else (item, FieldListFilter.create)
            field = get_fields_from_path(model_admin.model, path)[-1]
            spec = filter_class(field, request, {}, model_admin.model, model_admin, field_path=path)
            parameters.add(path)  # the field's exact match, as `?kind=sick`
        parameters |= set(spec.expected_parameters())
    if model_admin.date_hierarchy:
        parameters |= {f"{model_admin.date_hierarchy}__{part}" for part in ("year", "month", "day")}
    return parameters


def probes(row) -> list[tuple[str, str]]:
    """Lookups on each of the row's own fields, with values taken from the row so that an
    applied lookup would find it: equal, starts with, at least."""
    found = []
    for field in type(row)._meta.concrete_fields:
        value = getattr(row, field.attname)
        value = "" if value is None else str(value)
        for lookup, guess in (("", value), ("__exact", value), ("__startswith", value[:3]), ("__gte", value)):
            found.append((f"{field.name}{lookup}", guess))
        if field.attname != field.name:  # a foreign key's column, e.g. manager_id
            found.append((field.attname, value))
    return found


@pytest.fixture
def every_row():
    """A superuser working in a workspace that has a row of every model the admin registers."""
    workspace = WorkspaceFactory(name="Probed Corp")
    client = superuser_client_in(workspace)
    rows = rows_in(workspace, "live", "Probed")
    rows[Workspace] = workspace
    rows[get_user_model()] = get_user_model().objects.get(is_superuser=True)
    rows[Group] = Group.objects.create(name="Probed group")
    return client, rows


@pytest.mark.parametrize("label", ADMINS)
def test_every_admin_refuses_a_lookup_on_any_field_outside_its_declared_filters(every_row, label):
    client, rows = every_row
    model_admin = ADMINS[label]
    model = model_admin.model
    assert model in rows, f"tests/tenancy/admin_rows.py makes no {label} row: add one"
    changelist = url(model, "changelist")
    listed = client.get(changelist)
    assert listed.status_code == 200 and listed.context["cl"].result_count >= 1
    declared = declared_parameters(model_admin, listed.wsgi_request)
    accepted = []
    for parameter, guess in probes(rows[model]):
        if parameter in declared:
            continue
        if not is_refused(client.get(changelist, {parameter: guess})):
            accepted.append(parameter)
    assert accepted == [], f"{label} answers lookups outside its declared filters"


@pytest.mark.parametrize("label", ADMINS)
def test_every_admins_declared_filters_search_and_date_hierarchy_still_answer(every_row, label):
    client, rows = every_row
    model_admin = ADMINS[label]
    changelist = url(model_admin.model, "changelist")
    request = client.get(changelist).wsgi_request
    for parameter in declared_parameters(model_admin, request):
        value = "2024" if parameter.endswith("__year") else "1" if parameter.endswith(("__month", "__day")) else ""
        response = client.get(changelist, {parameter: value})
        # A value a filter cannot read sends back to the plain list (`?e=1`), as Django always did.
        assert response.status_code in (200, 302), parameter
    paged = client.get(changelist, {"q": "probed", "o": "1", "p": "1", "all": "", "_facets": "1"})
    assert paged.status_code == 200


def test_the_filters_staff_use_still_filter(every_row):
    client, rows = every_row
    endpoint = rows[WebhookEndpoint]
    other = webhook_services.endpoint_create(
        tenant=Tenant(endpoint.workspace, "live"), url="https://other.example.com/hook", enabled_events=["*"]
    )
    deliveries, endpoints = url(Delivery, "changelist"), url(WebhookEndpoint, "changelist")
    # The endpoint page's "deliveries" link.
    by_endpoint = client.get(deliveries, {"endpoint__id__exact": endpoint.pk})
    assert list(by_endpoint.context["cl"].result_list) == [rows[Delivery]]
    assert client.get(deliveries, {"endpoint__id__exact": other.pk}).context["cl"].result_count == 0
    assert client.get(endpoints, {"disabled__exact": "0"}).context["cl"].result_count == 2
    assert client.get(endpoints, {"disabled__exact": "1"}).context["cl"].result_count == 0
    assert client.get(endpoints, {"q": "other.example"}).context["cl"].result_count == 1
    exported = client.get(url(WebhookEndpoint, "export"), {"q": "other.example", "disabled__exact": "0"})
    assert exported.status_code == 200 and "other.example" in exported.content.decode()
    assert endpoint.url not in exported.content.decode()


# --- The binary search on a secret --------------------------------------------------------------


@pytest.fixture
def secrets(workspace):
    """A webhook endpoint whose secret was rotated (so it has a previous one) and an API key."""
    tenant = Tenant(workspace, "live")
    endpoint = webhook_services.endpoint_create(tenant=tenant, url="https://hooks.example.com/in", enabled_events=["*"])
    endpoint = webhook_services.endpoint_rotate_secret(tenant=tenant, endpoint=endpoint)
    with transaction.atomic():
        event_record(tenant=tenant, type="ping", data={}, actor=SYSTEM, endpoints=[endpoint])
    key, _ = api_key_create(workspace=workspace, environment="live", scopes="read:*", name="Probed key")
    return {
        (WebhookEndpoint, "secret"): endpoint.secret,
        (WebhookEndpoint, "previous_secret"): endpoint.previous_secret,
        (Delivery, "endpoint__secret"): endpoint.secret,
        (Delivery, "endpoint__previous_secret"): endpoint.previous_secret,
        (ApiKey, "hashed_key"): key.hashed_key,
    }


def guesses(secret: str) -> list[str]:
    """What a binary search tries: the true prefix, a wrong one, values either side, the secret."""
    wrong = secret[:6] + ("0" if secret[6] != "0" else "1")
    return [secret[:7], wrong, secret[:7] + "~", secret[:6], secret, ""]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "model, field",
    [
        (m, f)
        for m, f in [
            (WebhookEndpoint, "secret"),
            (WebhookEndpoint, "previous_secret"),
            (Delivery, "endpoint__secret"),
            (Delivery, "endpoint__previous_secret"),
            (ApiKey, "hashed_key"),
        ]
    ],
)
def test_a_binary_search_on_a_secret_gets_the_same_refusal_whatever_the_guess(workspace, secrets, role, model, field):
    client = member_client(workspace, role)
    secret = secrets[(model, field)]
    answers = set()
    for view in ("changelist", "export"):
        for lookup in ("", "__exact", "__startswith", "__gte", "__lt", "__contains", "__regex", "__in"):
            for guess in guesses(secret):
                response = client.get(url(model, view), {f"{field}{lookup}": guess})
                assert is_refused(response), (view, lookup, guess)
                answers.add((view, response.status_code, response.content))
    assert len(answers) == 2  # one answer per view, whatever was guessed
    assert not any(secret.encode() in content for _, _, content in answers)


@pytest.mark.parametrize("role", ROLES)
def test_secrets_are_neither_searchable_nor_sortable(workspace, secrets, role):
    client = member_client(workspace, role)
    for model in (WebhookEndpoint, ApiKey):
        for (owner, _field), secret in secrets.items():
            if owner is model:
                assert client.get(url(model, "changelist"), {"q": secret}).context["cl"].result_count == 0
        cl = client.get(url(model, "changelist")).context["cl"]
        assert not [name for name in cl.list_display if touches_secret(model, cl.get_ordering_field(name) or name)]


@pytest.mark.parametrize("role", ROLES)
def test_the_api_key_page_and_export_never_show_the_hash(workspace, secrets, role):
    client = member_client(workspace, role)
    key = ApiKey.objects.get()
    page = client.get(url(ApiKey, "change", quote(key.pk)))
    assert page.status_code == 200 and key.display_prefix in page.content.decode()
    for shown in (page, client.get(url(ApiKey, "changelist")), client.get(url(ApiKey, "export"))):
        text = shown.content.decode()
        assert key.hashed_key not in text and "hashed_key" not in text and "hashed key" not in text.lower()


# --- Secrets are declared once, and an admin cannot bring them back ------------------------------


def test_every_field_named_like_a_secret_is_declared_one(every_row):
    undeclared = [
        f"{model._meta.label}.{field.name}"
        for model in admin.site._registry
        for field in model._meta.concrete_fields
        if LOOKS_SECRET.search(field.name)
        and not touches_secret(model, field.name)
        and f"{model._meta.label}.{field.name}" not in NOT_SECRETS
    ]
    assert undeclared == [], "declare them in the model's secret_fields"


class CarelessEndpointAdmin(WebhookEndpointAdmin):
    """What a later change might declare: the secret as a column, a filter, a search field, the
    default order, and a column sorting by it."""

    list_display = ["url", "secret", "masked"]
    list_filter = ["disabled", "secret"]
    search_fields = ["url", "secret"]
    ordering = ["secret"]
    readonly_fields = [*WebhookEndpointAdmin.readonly_fields, "secret"]

    @admin.display(description="Secret", ordering="previous_secret")
    def masked(self, obj):
        return "••••"


def test_an_admin_that_names_a_secret_fails_the_checks_and_still_never_uses_it(workspace, secrets):
    careless = CarelessEndpointAdmin(WebhookEndpoint, admin.site)
    assert {error.id for error in careless.check()} == {"pulsehr.E101"}
    assert len(careless.check()) == 5  # list_display, list_filter, search_fields, ordering, readonly_fields
    endpoint = WebhookEndpoint.objects.get()
    client = member_client(workspace, "owner")
    request = client.get(url(WebhookEndpoint, "changelist")).wsgi_request

    def view(path, params, call):
        probe = RequestFactory().get(path, params)
        probe.user, probe.session = request.user, request.session
        probe._messages = default_storage(probe)
        response = call(probe)
        return response.render() if hasattr(response, "render") else response

    listed = view(url(WebhookEndpoint, "changelist"), {"o": "2"}, careless.changelist_view)
    cl = listed.context_data["cl"]
    assert cl.list_display == ["action_checkbox", "url", "masked"]
    assert list(cl.queryset.query.order_by) == ["-pk"]  # neither `ordering` nor `?o=2` sorts by a secret
    assert not [spec for spec in cl.filter_specs if "secret" in spec.expected_parameters()[0]]
    searched = view(url(WebhookEndpoint, "changelist"), {"q": endpoint.secret}, careless.changelist_view)
    assert searched.context_data["cl"].result_count == 0
    page = view(url(WebhookEndpoint, "change", endpoint.pk), {}, lambda r: careless.change_view(r, endpoint.pk))
    assert endpoint.secret not in page.content.decode()
    exported = view(url(WebhookEndpoint, "export"), {}, careless.export_action)
    assert endpoint.url in exported.content.decode() and endpoint.secret not in exported.content.decode()
