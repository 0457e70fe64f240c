from django.contrib import admin, messages

from pulsehr.errors import PulseError
from pulsehr.tenancy.admin_base import ServiceAdminMixin, ServiceRulesForm, WorkspaceScopedAdminMixin
from pulsehr.tenancy.context import Actor, Tenant
from pulsehr.tenancy.selectors import actor_label
from pulsehr.tenancy.staff import WRITE_ROLES

from . import services
from .choices import LeaveStatus
from .feeds import calendar_feed_create, calendar_feed_revoke, feed_path
from .models import CalendarFeed, CompanyDayOff, Leave, LeaveLedgerEntry


class StatusFilter(admin.SimpleListFilter):
    """Status, with the leave awaiting a decision first: HR staff's to-do list."""

    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [(LeaveStatus.PENDING, "Pending (awaiting decision)")] + [
            (value, label) for value, label in LeaveStatus.choices if value != LeaveStatus.PENDING
        ]

    def queryset(self, request, queryset):
        return queryset.filter(status=self.value()) if self.value() else queryset


class LeaveAdminForm(ServiceRulesForm):
    """Adding leave: the workspace and environment follow from the employee, and the
    service's rules (overlap, working days, employment dates) show as form errors."""

    class Meta:
        model = Leave
        fields = ["employee", "kind", "start_date", "end_date", "half_day", "note"]
        help_texts = {"end_date": "Included. Days are computed from the work week, public holidays and days off."}

    form_field_for = {"employee_id": "employee"}
    rules_need = ("employee",)

    def check_rules(self, tenant, cleaned):
        days = services.leave_check_rules(
            tenant=tenant,
            employee=cleaned["employee"],
            kind=cleaned["kind"],
            start_date=cleaned["start_date"],
            end_date=cleaned["end_date"],
            half_day=cleaned.get("half_day", False),
        )
        return {"days": days}

    def _post_clean(self):
        # The service's rules, run in clean(), are the validation. The model's check constraints
        # restate some of them and would show each error twice; save_model builds the record.
        pass


@admin.register(Leave)
class LeaveAdmin(ServiceAdminMixin, WorkspaceScopedAdminMixin, admin.ModelAdmin):
    form = LeaveAdminForm
    # With a link to the team calendar; django-import-export puts its export button on top of it.
    change_list_template = "admin/leave/leave/change_list.html"
    list_display = ["employee", "kind", "start_date", "end_date", "days_taken", "status"]
    list_select_related = ["employee", "workspace"]
    list_filter = [StatusFilter, "kind"]
    search_fields = ["employee__full_name", "note"]
    date_hierarchy = "start_date"
    autocomplete_fields = ["employee"]
    actions = ["approve", "reject", "cancel"]
    ordering = ["-start_date", "-id"]
    readonly_fields = [
        "id",
        "workspace",
        "environment",
        "employee",
        "kind",
        "start_date",
        "end_date",
        "half_day",
        "days",
        "note",
        "status",
        "hours",
        "decided_at",
        "decided_by_name",
        "decision_reason",
        "version",
        "created_at",
        "updated_at",
    ]

    def get_fields(self, request, obj=None):
        return self.readonly_fields if obj else LeaveAdminForm.Meta.fields

    @admin.display(description="Days", ordering="days")
    def days_taken(self, obj):
        """2.0, 0.5 or 0.125 (an hour of an 8-hour day): the stored three decimals, without the
        zeros hourly leave needs and whole days do not."""
        shown = f"{obj.days:.3f}".rstrip("0")
        return shown + "0" if shown.endswith(".") else shown

    @admin.display(description="Decided by")
    def decided_by_name(self, obj):
        return obj.decided_by_name or (actor_label(obj.decided_by) if obj.decided_by else None)

    def get_readonly_fields(self, request, obj=None):
        # Logged leave changes only through the actions (approve, reject, cancel), which record events.
        return self.readonly_fields if obj else []

    def has_change_permission(self, request, obj=None):
        # The changelist and its actions need change permission; a record's page is view-only.
        return obj is None and super().has_change_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False  # HR data is never destroyed; cancel instead

    def save_through_service(self, *, tenant, actor, obj, form, change):
        return services.leave_log(
            tenant=tenant,
            actor=actor,
            employee_id=form.cleaned_data["employee"].pk,
            kind=form.cleaned_data["kind"],
            start_date=form.cleaned_data["start_date"],
            end_date=form.cleaned_data["end_date"],
            half_day=form.cleaned_data.get("half_day", False),
            note=form.cleaned_data.get("note", ""),
        )

    def get_urls(self):
        from django.urls import path

        decide = path(
            "<path:object_id>/decide/", self.admin_site.admin_view(self.decide_view), name="leave_leave_decide"
        )
        calendar = path(
            "team-calendar/", self.admin_site.admin_view(self.team_calendar_view), name="leave_leave_team_calendar"
        )
        return [calendar, decide, *super().get_urls()]

    def team_calendar_view(self, request):
        """A month grid of who is out, by person and day, filterable by department."""
        import calendar as month_calendar
        from datetime import date, timedelta

        from django.template.response import TemplateResponse

        from employees.models import Employee

        from .selectors import whos_out

        tenant = self.tenant(request)
        if tenant is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, "")
        today = tenant.today()
        raw = request.GET.get("month", "")
        try:
            month = date(int(raw[:4]), int(raw[5:7]), 1) if len(raw) == 7 else today.replace(day=1)
        except ValueError:
            month = today.replace(day=1)
        last = month.replace(day=month_calendar.monthrange(month.year, month.month)[1])
        department = request.GET.get("department") or None
        include_pending = request.GET.get("include_pending") == "true"
        days = whos_out(tenant=tenant, first=month, last=last, department=department, include_pending=include_pending)
        people: dict[str, dict] = {}
        for index, day in enumerate(days):
            day["day"] = index + 1
            for person in day["out"]:
                row = people.setdefault(person["employee_id"], {"name": person["name"], "cells": [None] * len(days)})
                row["cells"][index] = person
        departments = (
            tenant.scope(Employee.objects).exclude(department="").values_list("department", flat=True).distinct()
        )
        context = {
            **self.admin_site.each_context(request),
            "title": "Team calendar",
            "month": month,
            "previous": (month - timedelta(days=1)).replace(day=1),
            "next": last + timedelta(days=1),
            "department": department or "",
            "departments": sorted(departments),
            "include_pending": include_pending,
            "days": days,
            "people": sorted(people.values(), key=lambda row: row["name"]),
        }
        return TemplateResponse(request, "leave/team_calendar.html", context)

    def decide_view(self, request, object_id):
        """Approve or reject one pending leave with a reason, from its page (POST only)."""
        from django.http import HttpResponseNotAllowed, HttpResponseRedirect
        from django.urls import reverse

        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        leave = self.get_object(request, object_id)
        if leave is None or not self.has_change_permission(request):
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        verb = request.POST.get("decision")
        service = {"approve": services.leave_approve, "reject": services.leave_reject}.get(verb)
        if service is not None:
            try:
                tenant = Tenant.of(leave)
                services.leave_decider_check(
                    tenant=tenant, leave=leave, user=request.user, is_hr=self.role(request) in WRITE_ROLES
                )
                service(
                    tenant=tenant,
                    leave=leave,
                    actor=Actor.for_user(request.user),
                    reason=request.POST.get("reason", "").strip()[:2000],
                )
                self.message_user(request, f"{'Approved' if verb == 'approve' else 'Rejected'} {leave}.")
            except PulseError as exc:
                self.message_user(request, exc.message, messages.ERROR)
        return HttpResponseRedirect(reverse("admin:leave_leave_change", args=[leave.pk]))

    def _apply(self, request, queryset, service, verb: str, decides: bool = False) -> None:
        done = 0
        is_hr = self.role(request) in WRITE_ROLES
        for leave in queryset.select_related("workspace", "employee"):
            try:
                tenant = Tenant.of(leave)
                if decides:
                    services.leave_decider_check(tenant=tenant, leave=leave, user=request.user, is_hr=is_hr)
                service(tenant=tenant, leave=leave, actor=Actor.for_user(request.user))
                done += 1
            except PulseError as exc:
                self.message_user(request, f"{leave.employee} – {leave}: {exc.message}", messages.ERROR)
        if done:
            self.message_user(request, f"{verb} {done} leave record(s).", messages.SUCCESS)

    @admin.action(description="Approve selected pending leave", permissions=["change"])
    def approve(self, request, queryset):
        self._apply(request, queryset, services.leave_approve, "Approved", decides=True)

    @admin.action(description="Reject selected pending leave", permissions=["change"])
    def reject(self, request, queryset):
        self._apply(request, queryset, services.leave_reject, "Rejected", decides=True)

    @admin.action(description="Cancel selected leave", permissions=["change"])
    def cancel(self, request, queryset):
        # Cancelling cancelled leave is a no-op in the service, so it is counted as done.
        self._apply(request, queryset, services.leave_cancel, "Cancelled")


@admin.register(CompanyDayOff)
class CompanyDayOffAdmin(WorkspaceScopedAdminMixin, admin.ModelAdmin):
    """Days the whole company is off; leave logged afterwards does not count them."""

    list_display = ["date", "name"]
    search_fields = ["name"]
    date_hierarchy = "date"
    ordering = ["date"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(ServiceAdminMixin, WorkspaceScopedAdminMixin, admin.ModelAdmin):
    """Signed iCalendar URLs of who is out, for calendar apps; revoke one to end it for good."""

    list_display = ["name", "department", "employee", "show_kind", "include_days_off", "revoked_at", "url"]
    list_select_related = ["employee", "workspace"]
    autocomplete_fields = ["employee"]
    fields = ["name", "department", "employee", "show_kind", "include_days_off"]
    actions = ["revoke"]

    @admin.display(description="URL")
    def url(self, obj):
        return "revoked" if obj.revoked_at else feed_path(obj)

    def get_readonly_fields(self, request, obj=None):
        # A feed does not change once made: make another and revoke this one.
        return self.fields + ["url", "revoked_at"] if obj else []

    def get_fields(self, request, obj=None):
        return self.fields + ["url", "revoked_at"] if obj else self.fields

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead, so the record of who made it stays

    def save_through_service(self, *, tenant, actor, obj, form, change):
        return calendar_feed_create(
            tenant=tenant,
            actor=actor,
            name=form.cleaned_data["name"],
            department=form.cleaned_data.get("department", ""),
            employee=form.cleaned_data.get("employee"),
            show_kind=form.cleaned_data.get("show_kind", False),
            include_days_off=form.cleaned_data.get("include_days_off", True),
        )

    @admin.action(description="Revoke selected feeds", permissions=["change"])
    def revoke(self, request, queryset):
        for feed in queryset:
            calendar_feed_revoke(feed=feed)
        self.message_user(request, f"Revoked {queryset.count()} feed(s); their URLs now answer 404.", messages.SUCCESS)


class AdjustmentForm(ServiceRulesForm):
    """An adjustment: the service checks the amount's step and the reason."""

    class Meta:
        model = LeaveLedgerEntry
        fields = ["employee", "kind", "amount", "reason", "effective_date"]
        help_texts = {
            "amount": "In the kind's unit (days, or hours for an hourly kind); negative takes away.",
            "effective_date": "Leave empty for today.",
        }

    form_field_for = {"employee_id": "employee"}
    rules_need = ("employee",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "effective_date" in self.fields:
            self.fields["effective_date"].required = False
        if "reason" in self.fields:
            self.fields["reason"].required = True

    def check_rules(self, tenant, cleaned):
        return {}

    def _post_clean(self):
        pass  # the service builds the row


@admin.register(LeaveLedgerEntry)
class LeaveLedgerEntryAdmin(ServiceAdminMixin, WorkspaceScopedAdminMixin, admin.ModelAdmin):
    """The ledger behind every balance, filterable by person, kind and type (the adjustments of
    one employee: filter by them and by `Adjustment`). Entries never change; HR staff add
    adjustments with a reason."""

    form = AdjustmentForm
    list_display = ["employee", "kind", "entry_type", "amount", "unit", "effective_date", "reason", "actor_name"]
    list_select_related = ["employee", "workspace"]
    list_filter = ["entry_type", "kind"]
    search_fields = ["employee__full_name", "reason"]
    autocomplete_fields = ["employee"]
    date_hierarchy = "effective_date"
    ordering = ["-effective_date", "-id"]
    readonly_fields = [
        "id",
        "employee",
        "kind",
        "entry_type",
        "amount",
        "unit",
        "effective_date",
        "period",
        "leave",
        "reason",
        "actor_name",
        "created_at",
    ]

    def get_fields(self, request, obj=None):
        return self.readonly_fields if obj else AdjustmentForm.Meta.fields

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj else []

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False  # a correction is another entry

    def save_through_service(self, *, tenant, actor, obj, form, change):
        data = form.cleaned_data
        return services.leave_adjust(
            tenant=tenant,
            actor=actor,
            employee_id=data["employee"].pk,
            kind=data["kind"],
            amount=data["amount"],
            reason=data.get("reason", ""),
            effective_date=data.get("effective_date"),
        )
