"""Webhook endpoints, events, deliveries and attempts for staff. Every change goes through
webhooks.services; events, deliveries and attempts are read-only records."""

from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from pulsehr.errors import PulseError
from pulsehr.forms import add_service_error
from pulsehr.tenancy.admin_base import (
    RelatedInListFilter,
    ServiceAdminMixin,
    TenantInlineMixin,
    WorkspaceScopedAdminMixin,
)
from pulsehr.tenancy.context import Actor, Tenant

from . import services
from .addresses import webhook_url_checked
from .catalogue import EVENT_TYPES
from .choices import ALL_EVENTS, PING
from .models import Delivery, DeliveryAttempt, Event, WebhookEndpoint

SUBSCRIBABLE = [(ALL_EVENTS, "* — every event type, including ones added later")] + [
    (name, f"{name} — {entry.description}") for name, entry in EVENT_TYPES.items() if name != PING
]


class ReplayPermissionMixin:
    """Replaying sends data to an integrator's URL: for staff who may change endpoints."""

    def has_replay_permission(self, request):
        return self.can_write(request)


class ReadOnlyAdminMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _admin_link(obj, label=None):
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    return format_html('<a href="{}">{}</a>', url, label or obj.pk)


# --- Endpoints -------------------------------------------------------------------------------


class WebhookEndpointAdminForm(forms.ModelForm):
    url = forms.URLField(max_length=2048, assume_scheme="https", help_text="Where events are POSTed.")
    enabled_events = forms.MultipleChoiceField(
        choices=SUBSCRIBABLE, widget=forms.CheckboxSelectMultiple, help_text="What this endpoint receives."
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["url", "description", "enabled_events", "disabled", "version"]
        # The version the form was opened at: saving over a newer one is refused, as If-Match is.
        widgets = {"version": forms.HiddenInput}

    def clean(self):
        cleaned = super().clean()
        # The service's own checks, shown as form errors (https only, no private addresses, …).
        for field, check in (
            ("url", webhook_url_checked),
            ("enabled_events", services.endpoint_events_validate),
        ):
            if cleaned.get(field):
                try:
                    cleaned[field] = check(cleaned[field])
                except PulseError as error:
                    add_service_error(self, error)
        return cleaned


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(ServiceAdminMixin, WorkspaceScopedAdminMixin, admin.ModelAdmin):
    form = WebhookEndpointAdminForm
    list_display = ["url", "events_summary", "disabled", "disabled_reason", "created_at"]
    list_filter = ["disabled"]
    search_fields = ["url", "description", "id"]
    readonly_fields = [
        "id",
        "deliveries",
        "disabled_reason",
        "disabled_at",
        "failing_since",
        "previous_secret_expires_at",
    ]
    actions = ["send_test_event", "rotate_secret"]

    @admin.display(description="Events")
    def events_summary(self, obj):
        return ", ".join(obj.enabled_events)

    @admin.display(description="Deliveries")
    def deliveries(self, obj):
        # A link rather than an inline: a busy endpoint has far too many to list on one page.
        url = reverse("admin:webhooks_delivery_changelist") + f"?endpoint__id__exact={obj.pk}"
        return format_html('<a href="{}">{} deliveries</a>', url, obj.deliveries.count())

    def get_fields(self, request, obj=None):
        fields = list(self.form.Meta.fields)
        if obj is None:
            return [field for field in fields if field not in ("disabled", "version")]
        return ["id", "workspace", "environment", *fields, *self.readonly_fields[1:]]

    def save_through_service(self, *, tenant, actor, obj, form, change):
        data = form.cleaned_data
        if not change:
            # The new row's secret comes back onto obj for response_add, the one page that shows it.
            return services.endpoint_create(
                tenant=tenant, url=data["url"], enabled_events=data["enabled_events"], description=data["description"]
            )
        # Only the fields this form changed, and only if nothing changed the endpoint since the
        # form was opened (a 410 may have disabled it): a stale form is refused, not applied.
        editable = set(services.ENDPOINT_EDITABLE_FIELDS)
        changes = {name: data[name] for name in form.changed_data if name in editable}
        return services.endpoint_update(tenant=tenant, endpoint=obj, expected_version=data["version"], **changes)

    def response_add(self, request, obj, post_url_continue=None):
        return self._secrets_page(request, [obj], "Webhook endpoint created")

    def _secrets_page(self, request, endpoints, title: str):
        """The one time a signing secret is shown: the response to the POST that made it, as on
        /developers. Never a message: those ride in a signed, not encrypted, cookie or session."""
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            "endpoints": endpoints,
        }
        return TemplateResponse(request, "admin/webhooks/webhookendpoint/signing_secrets.html", context)

    def delete_model(self, request, obj):
        services.endpoint_delete(tenant=Tenant.of(obj), endpoint=obj)

    def delete_queryset(self, request, queryset):
        for endpoint in queryset:
            services.endpoint_delete(tenant=Tenant.of(endpoint), endpoint=endpoint)

    @admin.action(description="Send a test event (ping)", permissions=["change"])
    def send_test_event(self, request, queryset):
        for endpoint in queryset:
            try:
                delivery = services.endpoint_send_test(
                    tenant=Tenant.of(endpoint), endpoint=endpoint, actor=Actor.for_user(request.user)
                )
            except PulseError as exc:
                self.message_user(request, f"{endpoint.url}: {exc.message}", messages.ERROR)
            else:
                self.message_user(request, f"{endpoint.url}: ping queued as {delivery.pk}.", messages.SUCCESS)

    @admin.action(description="Rotate the signing secret (the old one keeps signing for 24 h)", permissions=["change"])
    def rotate_secret(self, request, queryset):
        rotated = [
            services.endpoint_rotate_secret(tenant=Tenant.of(endpoint), endpoint=endpoint) for endpoint in queryset
        ]
        return self._secrets_page(request, rotated, "Signing secret rotated")


# --- Events, deliveries and attempts ---------------------------------------------------------


def _replay(modeladmin, request, pairs):
    """Replay (event, endpoint or None) pairs through the service, reporting each outcome."""
    created = 0
    for event, endpoint in pairs:
        try:
            created += len(services.event_replay(tenant=Tenant.of(event), event=event, endpoint=endpoint))
        except PulseError as exc:
            modeladmin.message_user(request, f"{event.pk}: {exc.message}", messages.ERROR)
    if created:
        modeladmin.message_user(request, f"Queued {created} new deliveries.", messages.SUCCESS)


class EventDeliveryInline(ReadOnlyAdminMixin, TenantInlineMixin, admin.TabularInline):
    model = Delivery
    fk_name = "event"
    extra = 0
    fields = ["delivery_link", "endpoint", "status", "attempt_count", "last_status_code", "next_attempt_at"]
    readonly_fields = fields

    @admin.display(description="Delivery")
    def delivery_link(self, obj):
        return _admin_link(obj)


@admin.register(Event)
class EventAdmin(ReadOnlyAdminMixin, ReplayPermissionMixin, WorkspaceScopedAdminMixin, admin.ModelAdmin):
    """The outbox, read-only: what happened, when, by whom, and where it was delivered."""

    list_display = ["id", "type", "actor", "acting_as", "created_at"]
    list_filter = ["type"]
    search_fields = ["id", "type", "acting_as"]
    date_hierarchy = "created_at"
    readonly_fields = ["id", "workspace", "environment", "type", "data", "actor", "acting_as", "created_at"]
    inlines = [EventDeliveryInline]
    actions = ["replay"]

    @admin.action(description="Replay to every endpoint that subscribes now", permissions=["replay"])
    def replay(self, request, queryset):
        _replay(self, request, [(event, None) for event in queryset])


class AttemptInline(ReadOnlyAdminMixin, TenantInlineMixin, admin.TabularInline):
    model = DeliveryAttempt
    extra = 0
    fields = ["number", "started_at", "duration_ms", "status_code", "succeeded", "error", "response_body"]
    readonly_fields = fields


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdminMixin, ReplayPermissionMixin, WorkspaceScopedAdminMixin, admin.ModelAdmin):
    list_display = [
        "id",
        "event_type",
        "endpoint",
        "status",
        "attempt_count",
        "last_status_code",
        "next_attempt_at",
        "created_at",
    ]
    list_select_related = ["event", "endpoint"]
    # By endpoint: what an endpoint page's "deliveries" link opens (?endpoint__id__exact=…).
    list_filter = ["status", ("endpoint", RelatedInListFilter)]
    search_fields = ["id", "event__id", "endpoint__url"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "id",
        "event_link",
        "endpoint",
        "workspace",
        "environment",
        "status",
        "attempt_count",
        "next_attempt_at",
        "last_status_code",
        "failure_reason",
        "created_at",
        "completed_at",
    ]
    fields = readonly_fields
    inlines = [AttemptInline]
    actions = ["replay"]

    @admin.display(description="Event type", ordering="event__type")
    def event_type(self, obj):
        return obj.event.type

    @admin.display(description="Event")
    def event_link(self, obj):
        return _admin_link(obj.event, f"{obj.event.type} {obj.event_id}")

    @admin.action(description="Replay to the same endpoint", permissions=["replay"])
    def replay(self, request, queryset):
        _replay(self, request, [(d.event, d.endpoint) for d in queryset.select_related("event", "endpoint")])
