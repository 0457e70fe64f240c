"""The /developers pages and the public /ecosystem catalogue. Thin: parse a form, call a
service, render. Every object is looked up within the caller's current workspace."""

import json

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from leave import feeds as leave_feeds
from pulsehr.errors import PulseError
from pulsehr.forms import add_service_error
from pulsehr.tenancy.context import Actor, Tenant
from pulsehr.tenancy.services import api_key_create, api_key_revoke
from webhooks import services as webhook_services
from webhooks.representations import event_as_dict

from . import selectors
from .access import Access, developer_page
from .forms import ApiKeyForm, CalendarFeedForm, EndpointForm
from .frame import render_page

DELIVERIES_PER_PAGE = 25


def without_trailing_slash(request):
    """/developers/, /developers/webhooks/ and the like: the page without the slash, query kept.
    A form's POST keeps its method and body (308)."""
    target = request.path.rstrip("/")
    if request.META.get("QUERY_STRING"):
        target = f"{target}?{request.META['QUERY_STRING']}"
    return HttpResponsePermanentRedirect(target, preserve_request=request.method not in ("GET", "HEAD"))


def _page(request, access: Access, section: str, template: str, title: str, *, status: int = 200, **context):
    """A /developers page; `section` ("keys" or "webhooks") is the tab it belongs to."""
    return render_page(
        request, template, {"title": title, "access": access, "section": section, **context}, status=status
    )


# --- API keys --------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@developer_page()
def api_keys(request, access: Access):
    """The workspace's keys and the form to mint one. A new key's secret is rendered in the
    POST's own response and nowhere else: it is never stored, and a reload shows the list only."""
    employee_choices = selectors.key_employee_choices(access.workspace)
    initial = {"environment": access.environment}
    form = ApiKeyForm(request.POST or None, initial=initial, employee_choices=employee_choices)
    new_key = new_secret = None
    if request.method == "POST" and form.is_valid():
        try:
            new_key, new_secret = api_key_create(
                workspace=access.workspace,
                environment=form.cleaned_data["environment"],
                scopes=form.cleaned_data["scopes"],
                name=form.cleaned_data["name"].strip(),
                created_by=request.user,
                employee_id=form.cleaned_data["employee_id"] or None,
            )
        except PulseError as error:
            add_service_error(form, error)
        else:
            form = ApiKeyForm(initial=initial, employee_choices=employee_choices)
    return _page(
        request,
        access,
        "keys",
        "developers/api_keys.html",
        "API keys",
        form=form,
        keys=selectors.workspace_api_key_rows(access.workspace),
        new_key=new_key,
        new_secret=new_secret,
        status=400 if request.method == "POST" and new_key is None else 200,
    )


@require_http_methods(["GET", "POST"])
@developer_page(write=True)
def api_key_revoke_confirm(request, access: Access, key_id: str):
    api_key = get_object_or_404(selectors.workspace_api_keys(access.workspace), pk=key_id)
    if request.method == "POST":
        api_key_revoke(api_key=api_key)
        messages.success(request, f"Key {api_key.display_prefix}… is revoked: requests with it now answer 401.")
        return redirect("developers:api_keys")
    return _page(request, access, "keys", "developers/api_key_revoke.html", "Revoke API key", api_key=api_key)


# --- Calendar feeds --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@developer_page()
def calendar_feeds(request, access: Access):
    """The workspace's leave calendar feeds (signed /calendar/<token>.ics URLs), and the form to make one."""
    form = CalendarFeedForm(request.POST or None, initial={"environment": access.environment})
    created = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        created = leave_feeds.calendar_feed_create(
            tenant=Tenant(access.workspace, data["environment"]),
            actor=Actor.for_user(request.user),
            name=data["name"].strip(),
            department=data["department"].strip(),
            show_kind=data["show_kind"],
            include_days_off=data["include_days_off"],
        )
        form = CalendarFeedForm(initial={"environment": access.environment})
    return _page(
        request,
        access,
        "calendars",
        "developers/calendar_feeds.html",
        "Calendar feeds",
        form=form,
        feeds=selectors.workspace_calendar_feeds(access.workspace),
        created=created,
        status=400 if request.method == "POST" and created is None else 200,
    )


@require_POST
@developer_page(write=True)
def calendar_feed_revoke(request, access: Access, feed_id: str):
    feed = get_object_or_404(selectors.workspace_calendar_feed_rows(access.workspace), pk=feed_id)
    leave_feeds.calendar_feed_revoke(feed=feed)
    messages.success(request, f"The feed “{feed.name}” is revoked: its URL now answers 404.")
    return redirect("developers:calendar_feeds")


# --- Webhook endpoints -----------------------------------------------------------------------


@require_GET
@developer_page()
def endpoints(request, access: Access):
    return _page(
        request,
        access,
        "webhooks",
        "developers/endpoints.html",
        "Webhook endpoints",
        endpoints=selectors.workspace_endpoints_with_success_rate(access.workspace),
        success_rate_hours=selectors.SUCCESS_RATE_HOURS,
    )


@require_http_methods(["GET", "POST"])
@developer_page(write=True)
def endpoint_create(request, access: Access):
    form = EndpointForm(request.POST or None, creating=True, initial={"environment": access.environment})
    if request.method == "POST" and form.is_valid():
        try:
            endpoint = webhook_services.endpoint_create(
                tenant=Tenant(access.workspace, form.cleaned_data["environment"]),
                url=form.cleaned_data["url"],
                enabled_events=form.subscribed_events(),
                description=form.cleaned_data["description"],
            )
        except PulseError as error:
            add_service_error(form, error)
        else:
            return _secret_page(request, access, endpoint, "Webhook endpoint created")
    status = 400 if request.method == "POST" else 200
    return _page(
        request, access, "webhooks", "developers/endpoint_form.html", "New webhook endpoint", form=form, status=status
    )


@require_http_methods(["GET", "POST"])
@developer_page(write=True)
def endpoint_edit(request, access: Access, endpoint_id: str):
    endpoint = get_object_or_404(selectors.workspace_endpoints(access.workspace), pk=endpoint_id)
    form = EndpointForm(request.POST or None, creating=False, initial=EndpointForm.initial_for(endpoint))
    if request.method == "POST" and form.is_valid():
        try:
            webhook_services.endpoint_update(
                tenant=Tenant.of(endpoint),
                endpoint=endpoint,
                expected_version=form.cleaned_data["version"],
                url=form.cleaned_data["url"],
                description=form.cleaned_data["description"],
                enabled_events=form.subscribed_events(),
            )
        except PulseError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "The endpoint is saved.")
            return redirect("developers:endpoint", endpoint_id=endpoint.pk)
    status = 400 if request.method == "POST" else 200
    return _page(
        request,
        access,
        "webhooks",
        "developers/endpoint_form.html",
        "Edit webhook endpoint",
        form=form,
        endpoint=endpoint,
        status=status,
    )


@require_GET
@developer_page()
def endpoint_detail(request, access: Access, endpoint_id: str):
    """The endpoint, its actions, and its delivery log, newest first."""
    endpoint = get_object_or_404(selectors.workspace_endpoints(access.workspace), pk=endpoint_id)
    deliveries = Paginator(selectors.endpoint_deliveries(endpoint), DELIVERIES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    selectors.with_last_errors(deliveries)
    return _page(
        request,
        access,
        "webhooks",
        "developers/endpoint_detail.html",
        "Webhook endpoint",
        endpoint=endpoint,
        deliveries=deliveries,
    )


@require_http_methods(["GET", "POST"])
@developer_page(write=True)
def endpoint_rotate_secret(request, access: Access, endpoint_id: str):
    endpoint = get_object_or_404(selectors.workspace_endpoints(access.workspace), pk=endpoint_id)
    if request.method == "POST":
        endpoint = webhook_services.endpoint_rotate_secret(tenant=Tenant.of(endpoint), endpoint=endpoint)
        return _secret_page(request, access, endpoint, "Signing secret rotated")
    return _page(
        request, access, "webhooks", "developers/endpoint_rotate.html", "Rotate signing secret", endpoint=endpoint
    )


def _secret_page(request, access: Access, endpoint, title: str):
    """The one time a signing secret is shown: the response to the POST that made it."""
    return _page(request, access, "webhooks", "developers/endpoint_secret.html", title, endpoint=endpoint)


@require_POST
@developer_page()
def endpoint_set_disabled(request, access: Access, endpoint_id: str, disabled: bool):
    endpoint = get_object_or_404(selectors.workspace_endpoints(access.workspace), pk=endpoint_id)
    webhook_services.endpoint_update(tenant=Tenant.of(endpoint), endpoint=endpoint, disabled=disabled)
    messages.success(
        request, "The endpoint is disabled: nothing is sent to it." if disabled else "The endpoint is enabled."
    )
    return redirect("developers:endpoint", endpoint_id=endpoint.pk)


@require_POST
@developer_page()
def endpoint_send_test(request, access: Access, endpoint_id: str):
    endpoint = get_object_or_404(selectors.workspace_endpoints(access.workspace), pk=endpoint_id)
    try:
        delivery = webhook_services.endpoint_send_test(
            tenant=Tenant.of(endpoint), endpoint=endpoint, actor=Actor.for_user(request.user)
        )
    except PulseError as error:
        messages.error(request, error.message)
        return redirect("developers:endpoint", endpoint_id=endpoint.pk)
    messages.success(request, "A test event (ping) is on its way.")
    return redirect("developers:delivery", endpoint_id=endpoint.pk, delivery_id=delivery.pk)


# --- Deliveries ------------------------------------------------------------------------------


@require_GET
@developer_page()
def delivery_detail(request, access: Access, endpoint_id: str, delivery_id: str):
    endpoint = get_object_or_404(selectors.workspace_endpoints(access.workspace), pk=endpoint_id)
    delivery = get_object_or_404(selectors.endpoint_delivery_detail(endpoint), pk=delivery_id)
    return _page(
        request,
        access,
        "webhooks",
        "developers/delivery_detail.html",
        "Delivery",
        endpoint=endpoint,
        delivery=delivery,
        payload_json=json.dumps(event_as_dict(vars(delivery.event)), indent=2),
    )


@require_POST
@developer_page()
def delivery_replay(request, access: Access, endpoint_id: str, delivery_id: str):
    """Send the delivery's event to its endpoint again, as a new delivery."""
    endpoint = get_object_or_404(selectors.workspace_endpoints(access.workspace), pk=endpoint_id)
    delivery = get_object_or_404(selectors.endpoint_delivery_detail(endpoint), pk=delivery_id)
    try:
        (replayed,) = webhook_services.event_replay(tenant=Tenant.of(endpoint), event=delivery.event, endpoint=endpoint)
    except PulseError as error:
        messages.error(request, error.message)
        return redirect("developers:delivery", endpoint_id=endpoint.pk, delivery_id=delivery.pk)
    messages.success(request, f"Replayed as a new delivery, {replayed.pk}.")
    return redirect("developers:delivery", endpoint_id=endpoint.pk, delivery_id=replayed.pk)


# --- The public event catalogue --------------------------------------------------------------


@require_GET
def ecosystem(request):
    """Every event type, when it fires, and a sample as an endpoint receives it. Public:
    no login, no workspace, no database."""
    return render_page(
        request,
        "ecosystem/index.html",
        {"title": "Event catalogue", "section": "ecosystem", "catalogue": selectors.event_catalogue()},
    )
