"""The base of every PulseHR admin: scoping to the tenant the staff user works in, the declared
lookups that keep secrets out of lists and exports, change-page panels other apps add, and the
service glue (a form validated by the service's rules, a save through the service).

The Workspace, API-key, User and Group admins are in pulsehr/tenancy/admin.py."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import tablib
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.exceptions import DisallowedModelAdminLookup
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.contrib.admin.views.main import ChangeList
from django.core import checks
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import F, OrderBy, QuerySet
from django.db.models.constants import LOOKUP_SEP
from django.http import HttpResponseRedirect
from django.utils.text import capfirst
from import_export.admin import ExportMixin
from import_export.formats.base_formats import CSV
from import_export.resources import modelresource_factory

from pulsehr.errors import PulseError
from pulsehr.forms import add_service_error
from pulsehr.jsonvalues import JSONFormField
from pulsehr.spreadsheets import spreadsheet_cell

from .context import Actor, Tenant
from .models import Workspace
from .staff import WRITE_ROLES, staff_tenant_role

# Every workspace-owned row carries these; the current tenant decides them, never a form.
TENANT_FIELDS = ("workspace", "environment")


@dataclass(frozen=True)
class ChangePagePanel:
    """A section an app adds to another app's change page (an employee's profile, an object's
    comment threads), so the admin of a model need not import the app that describes it."""

    template: str
    # (current tenant, the object's id) -> the template's context; the template also has the
    # object itself as `original`, which Django's change view fetches once for the whole page.
    context: Callable[[Tenant, str], dict]
    position: Literal["top", "bottom"] = "bottom"  # above the form, or after it
    stylesheets: tuple[str, ...] = ()  # static paths the panel needs
    # Whether `context` also takes the request (as `request=`): a panel that depends on who looks.
    needs_request: bool = False


CHANGE_PAGE_PANELS: dict[str, list[ChangePagePanel]] = defaultdict(list)


def add_change_page_panel(model_label: str, panel: ChangePagePanel) -> None:
    """Show `panel` on the change page of the model labelled `model_label` (e.g. "leave.leave").
    Called from the contributing app's AppConfig.ready()."""
    CHANGE_PAGE_PANELS[model_label.lower()].append(panel)


def _has_field(model, name: str) -> bool:
    return any(field.name == name for field in model._meta.fields)


def tenant_scope(queryset: QuerySet, tenant: Tenant | None) -> QuerySet:
    """The rows of `queryset` in the tenant's workspace, and in its environment when the rows
    have one (company days off are per workspace); nothing without a tenant."""
    return tenant.scope(queryset) if tenant is not None else queryset.none()


def _list_filter_field(item) -> str | None:
    if isinstance(item, str):
        return item
    if isinstance(item, tuple | list):
        return item[0]
    return None  # a SimpleListFilter class: it filters the scoped queryset it is given


def _without_tenant_fields(fields) -> list:
    return [field for field in fields if field not in TENANT_FIELDS]


# --- Lists answer only what they declare; secrets are never shown ------------------------------


def secret_fields(model) -> frozenset[str]:
    """The fields of `model` that hold a secret or a hash of one, declared once on the model
    (`secret_fields = ("secret", …)`) so that every admin of it, present or future, keeps them out."""
    return frozenset(getattr(model, "secret_fields", ()))


def _path_name(item) -> str | None:
    """The field path an admin option names: a lookup, a search field (`^name`), an ordering
    (`-created_at`, `F("secret")`), a list_filter entry; None for what names no field."""
    if isinstance(item, tuple | list):
        item = item[0]
    if isinstance(item, OrderBy):
        item = item.expression
    if isinstance(item, F):
        item = item.name
    return item.lstrip("^=@-") if isinstance(item, str) else None


def touches_secret(model, item) -> bool:
    """Whether an admin option or query lookup reads a secret field of `model`, or of a model it
    follows a relation to (`endpoint__secret__startswith` on deliveries)."""
    path = _path_name(item)
    for part in (path or "").split(LOOKUP_SEP):
        if part in secret_fields(model):
            return True
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return False
        if field.related_model is None:
            return False
        model = field.related_model
    return False


def _without_secrets(model, items) -> list:
    return [item for item in items if not touches_secret(model, item)]


def _yes_no_column(field):
    """A yes/no field as a list column in words. Django draws False as a red ✗, which reads as an
    error where it is only an answer (a thread not resolved, an endpoint not disabled)."""

    def column(obj):
        return "Yes" if getattr(obj, field.attname) else "No"

    column.short_description = capfirst(field.verbose_name)
    column.admin_order_field = field.name
    column.__name__ = field.name
    return column


def _with_yes_no_columns(model, items) -> list:
    def field_of(item):
        try:
            return model._meta.get_field(item) if isinstance(item, str) else None
        except FieldDoesNotExist:
            return None

    return [
        _yes_no_column(field) if isinstance(field := field_of(item), models.BooleanField) else item for item in items
    ]


class DeclaredLookupsChangeList(ChangeList):
    """Django applies any lookup on a model's own fields that is left in the query string once
    the declared filters took theirs, so `?secret__startswith=whsec_a` answers one row or none: a
    secret falls to a binary search in a few hundred requests. Here a parameter that no declared
    list filter, search (`q`), date hierarchy, ordering (`o`), paging (`p`, `all`), popup or
    export reads is refused, as Django refuses undeclared lookups across relations: 400, no rows.
    (Raw-id popups for a ForeignKey's `limit_choices_to` would need allowing here; none exist.)"""

    def get_filters(self, request):
        specs, has_filters, remaining, may_have_duplicates, has_active = super().get_filters(request)
        from_hierarchy = set()
        if self.date_hierarchy:
            # A month or day without a year is left as a lookup; with a year, all became this range.
            from_hierarchy = {f"{self.date_hierarchy}__{part}" for part in ("month", "day")}
            if f"{self.date_hierarchy}__year" in self.filter_params:
                from_hierarchy |= {f"{self.date_hierarchy}__gte", f"{self.date_hierarchy}__lt"}
        # A declared field filter's own path is its exact match (`?kind=sick` as `?kind__exact=sick`).
        field_paths = {_path_name(item) for item in self.list_filter if not callable(item)}
        undeclared = sorted(set(remaining) - from_hierarchy - field_paths)
        if undeclared:
            raise DisallowedModelAdminLookup(f"Filtering by {', '.join(undeclared)} not allowed")
        return specs, has_filters, remaining, may_have_duplicates, has_active

    def get_ordering_field(self, field_name):
        # `?o=<column>` sorts by any column's field, whatever `sortable_by` shows: never by a secret.
        order_field = super().get_ordering_field(field_name)
        return None if touches_secret(self.model, order_field) else order_field


class NamedBlankValuesFilter(admin.AllValuesFieldListFilter):
    """Django's filter by a text field's values, with the blank value named: a row with no
    department (or tag, topic, country) would otherwise be an empty link, invisible and without
    an accessible name (axe: link-name)."""

    def choices(self, changelist):
        for choice in super().choices(changelist):
            display = str(choice["display"])
            if not display.strip() or display.startswith(" ("):  # "" or, with counts, " (3)"
                choice = {**choice, "display": f"(blank){display}"}
            yield choice


# Every list filter on a free-text field (no choices) names its blank value, whichever admin declares it.
admin.FieldListFilter.register(
    lambda field: isinstance(field, models.CharField) and not field.choices, NamedBlankValuesFilter, take_priority=True
)


class RelatedInListFilter(admin.RelatedOnlyFieldListFilter):
    """Filter by a related row among those the (scoped) list refers to. A value in the query
    string filters even when there are too few choices to show the filter: Django would take the
    parameter and ignore it, and a link to one endpoint's deliveries would list every delivery."""

    def has_output(self):
        return bool(self.used_parameters) or super().has_output()


class DeclaredLookupsAdminMixin:
    """Every PulseHR ModelAdmin (the workspace-scoped ones through WorkspaceScopedAdminMixin):
    lists filter only by their declared list filters, search and date hierarchy, and the model's
    `secret_fields` are never listed, filtered, searched, sorted by, shown in a page or exported,
    whatever an admin declares (`manage.py check` reports such a declaration)."""

    formfield_overrides = {models.JSONField: {"form_class": JSONFormField}}

    def changelist_view(self, request, extra_context=None):
        # A list is titled by what it lists ("Leave requests"), not Django's "Select leave to change".
        extra_context = {"title": capfirst(self.model._meta.verbose_name_plural), **(extra_context or {})}
        return super().changelist_view(request, extra_context=extra_context)

    def get_changelist(self, request, **kwargs):
        return DeclaredLookupsChangeList

    def lookup_allowed(self, lookup, value, request=None):
        # Refused before any filter runs; the change list refuses the other undeclared lookups.
        return not touches_secret(self.model, lookup) and super().lookup_allowed(lookup, value, request)

    def get_list_display(self, request):
        return _with_yes_no_columns(self.model, _without_secrets(self.model, super().get_list_display(request)))

    def get_list_filter(self, request):
        return _without_secrets(self.model, super().get_list_filter(request))

    def get_search_fields(self, request):
        return _without_secrets(self.model, super().get_search_fields(request))

    def get_ordering(self, request):
        return _without_secrets(self.model, super().get_ordering(request))

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (name, {**opts, "fields": _without_secrets(self.model, opts["fields"])})
            for name, opts in super().get_fieldsets(request, obj)
        ]
        return [(name, opts) for name, opts in fieldsets if opts["fields"]]

    def get_readonly_fields(self, request, obj=None):
        return _without_secrets(self.model, super().get_readonly_fields(request, obj))

    def check(self, **kwargs):
        errors = super().check(**kwargs)
        declared = {
            "list_display": self.list_display,
            "list_display_links": self.list_display_links or (),
            "list_filter": self.list_filter,
            "search_fields": self.search_fields,
            "ordering": self.ordering or (),
            "sortable_by": self.sortable_by or (),
            "date_hierarchy": [self.date_hierarchy] if self.date_hierarchy else [],
            "fields": self.fields or (),
            "fieldsets": flatten_fieldsets(self.fieldsets) if self.fieldsets else (),
            "readonly_fields": self.readonly_fields,
        }
        for option, items in declared.items():
            errors += [
                checks.Error(
                    f"{option} names {_path_name(item)!r}, a secret field of {self.model._meta.label}; "
                    "the admin never lists, filters, searches, sorts by or shows secrets.",
                    obj=type(self),
                    id="pulsehr.E101",
                )
                for item in items
                if touches_secret(self.model, item)
            ]
        return errors


class TenantRoleMixin:
    """What the staff user may do is their role in the current workspace, not Django's model
    permissions: viewers read, HR staff write (`write_roles`), superusers act as owners."""

    write_roles = WRITE_ROLES

    def tenant(self, request) -> Tenant | None:
        return staff_tenant_role(request)[0]

    def role(self, request) -> str | None:
        return staff_tenant_role(request)[1]

    def can_write(self, request) -> bool:
        return self.role(request) in self.write_roles


class TenantInlineMixin(TenantRoleMixin):
    """An inline under a workspace-scoped admin: its rows hang off the (scoped) parent row, and
    the role decides what may be done with them."""

    def has_view_permission(self, request, obj=None):
        return self.role(request) is not None

    def has_add_permission(self, request, obj=None):
        return self.can_write(request)

    def has_change_permission(self, request, obj=None):
        return self.can_write(request)

    def has_delete_permission(self, request, obj=None):
        return self.can_write(request)


class SpreadsheetSafeCSV(CSV):
    """CSV whose every cell is escaped against formula injection (pulsehr/spreadsheets.py)."""

    def export_data(self, dataset, **kwargs):
        escaped = tablib.Dataset(
            *([spreadsheet_cell(cell) for cell in row] for row in dataset), headers=dataset.headers
        )
        return super().export_data(escaped, **kwargs)


class WorkspaceScopedAdminMixin(DeclaredLookupsAdminMixin, TenantRoleMixin, ExportMixin):
    """A workspace-owned model's admin. Lists, pages, form choices, autocompletes, popups,
    filters, actions and CSV exports all work on the current tenant only (the workspace and
    environment picked in the header); a new row is put in it, whatever the request says."""

    change_form_template = "admin/pulsehr/change_form.html"  # with the panels of CHANGE_PAGE_PANELS
    # Columns a CSV export leaves out besides the model's secret_fields, which it never carries.
    export_exclude: tuple[str, ...] = ()
    export_formats = [SpreadsheetSafeCSV]
    skip_export_form = True  # the Export button downloads the filtered list as CSV at once

    def get_queryset(self, request):
        return tenant_scope(super().get_queryset(request), self.tenant(request))

    def _in_tenant(self, request, obj) -> bool:
        tenant = self.tenant(request)
        if obj is None or tenant is None:
            return tenant is not None
        same_environment = getattr(obj, "environment", tenant.environment) == tenant.environment
        return obj.workspace_id == tenant.workspace.pk and same_environment

    def has_module_permission(self, request):
        return self.role(request) is not None

    def has_view_permission(self, request, obj=None):
        return self.role(request) is not None and self._in_tenant(request, obj)

    def has_add_permission(self, request):
        return self.can_write(request)

    def has_change_permission(self, request, obj=None):
        return self.can_write(request) and self._in_tenant(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.can_write(request) and self._in_tenant(request, obj)

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def get_actions(self, request):
        # Actions that declare no permission (offboard, revoke, …) still change data.
        return super().get_actions(request) if self.can_write(request) else {}

    def get_form(self, request, obj=None, change=False, **kwargs):
        """A new row's form puts it in the current tenant before validation, so the rules
        (an employee's email unique per workspace, …) are checked where it will live."""
        form = super().get_form(request, obj, change=change, **kwargs)
        tenant = self.tenant(request)
        if obj is not None or tenant is None:
            return form
        fixed = {"workspace": tenant.workspace, "environment": tenant.environment}
        fixed = {name: value for name, value in fixed.items() if _has_field(self.model, name)}

        class InCurrentTenant(form):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                for name, value in fixed.items():
                    setattr(self.instance, name, value)

            def _get_validation_exclusions(self):
                # Not form fields, but set: uniqueness per workspace is checked, not left to the database.
                return super()._get_validation_exclusions() - set(fixed)

        InCurrentTenant.__name__ = form.__name__
        return InCurrentTenant

    def get_fieldsets(self, request, obj=None):
        """A new row's workspace and environment are the current tenant's: not offered."""
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None:
            return fieldsets
        trimmed = [(name, {**opts, "fields": _without_tenant_fields(opts["fields"])}) for name, opts in fieldsets]
        return [(name, opts) for name, opts in trimmed if opts["fields"]]

    def get_readonly_fields(self, request, obj=None):
        """A row never moves to another workspace or environment."""
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            readonly += [name for name in TENANT_FIELDS if _has_field(self.model, name) and name not in readonly]
        return readonly

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        """A choice of a workspace, or of a row that belongs to one (an employee, …), is the
        current tenant's: a forged id of another's fails validation as an unknown choice."""
        related = db_field.related_model
        tenant = self.tenant(request)
        if related is Workspace:
            kwargs["queryset"] = Workspace.objects.filter(pk=tenant.workspace.pk if tenant else None)
        elif _has_field(related, "workspace"):
            kwargs["queryset"] = tenant_scope(related._default_manager.all(), tenant)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """A rule can still fail when saving although the form validated, if another write
        won a race in between (a duplicate day, the kudos allowance, an overlap): show the
        service's message and nothing saved, rather than a server error."""
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except PulseError as exc:
            self.message_user(request, f"Nothing was saved: {exc.message}", messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """An existing row's page carries the panels other apps registered for its model."""
        tenant = self.tenant(request)
        panels = CHANGE_PAGE_PANELS.get(self.model._meta.label_lower, []) if tenant else []
        context = {"change_page_panels_top": [], "change_page_panels_bottom": [], "change_page_stylesheets": []}
        for panel in panels:
            extra = {"request": request} if panel.needs_request else {}
            context.update(panel.context(tenant, unquote(object_id), **extra))
            context[f"change_page_panels_{panel.position}"].append(panel.template)
            context["change_page_stylesheets"] += [
                href for href in panel.stylesheets if href not in context["change_page_stylesheets"]
            ]
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **context})

    def get_list_display(self, request):
        """The header names the workspace and environment; every row is in them."""
        return _without_tenant_fields(super().get_list_display(request))

    def get_list_filter(self, request):
        """Filtering by workspace or environment would name other tenants and find nothing."""
        return [item for item in super().get_list_filter(request) if _list_filter_field(item) not in TENANT_FIELDS]

    def get_export_resource_classes(self, request):
        """The admin's own resources where it declares them, else every column but the secrets."""
        if self.resource_classes or getattr(self, "export_resource_classes", None):
            return super().get_export_resource_classes(request)
        exclude = sorted(set(self.export_exclude) | secret_fields(self.model))
        return [modelresource_factory(self.model, meta_options={"exclude": exclude})]

    def get_export_filename(self, request, queryset, file_format):
        """Which workspace environment a downloaded file holds, e.g. acme-test-employee-2025-06-02.csv."""
        tenant = self.tenant(request)  # exporting needs view permission, hence a tenant
        name = f"{tenant.workspace.slug}-{tenant.environment}-{self.model._meta.model_name}-{tenant.today()}"
        return f"{name}.{file_format.get_extension()}"


# --- The service glue: admins validate and write through the app's services ------------------


class ServiceRulesForm(forms.ModelForm):
    """An admin form whose rules are the service's: once the fields are clean, `check_rules`
    runs the service's checks on the would-be row, in the admin's current tenant (set on the
    instance, see WorkspaceScopedAdminMixin.get_form), and may return values for cleaned_data
    (a defaulted date, the days a leave costs). A domain error is shown next to the fields it
    names, `form_field_for` mapping the service's names to the form's."""

    form_field_for: dict[str, str] = {}
    # Fields without which the rules cannot run; a form missing one already shows its error.
    rules_need: tuple[str, ...] = ()

    def check_rules(self, tenant: Tenant, cleaned: dict) -> dict | None:
        raise NotImplementedError

    def clean(self):
        cleaned = super().clean()
        if self.errors or any(cleaned.get(name) is None for name in self.rules_need):
            return cleaned
        try:
            cleaned.update(self.check_rules(Tenant.of(self.instance), cleaned) or {})
        except PulseError as error:
            add_service_error(self, error, self.form_field_for)
        return cleaned


def copy_saved(saved: models.Model, obj: models.Model) -> None:
    """Put the row a service wrote (ids, versions, defaults, timestamps) onto the admin's own
    instance, so the admin's messages and redirects name the saved row."""
    for field in obj._meta.concrete_fields:
        setattr(obj, field.attname, getattr(saved, field.attname))
    obj._state.adding = False


class ServiceAdminMixin:
    """An admin that saves through its app's service, never the form: `save_through_service`
    calls the service with the row's tenant and the staff user as the actor (so the event
    records who did it) and returns the row it wrote."""

    def save_through_service(self, *, tenant: Tenant, actor: Actor, obj, form, change: bool) -> models.Model:
        raise NotImplementedError

    def save_model(self, request, obj, form, change):
        saved = self.save_through_service(
            tenant=Tenant.of(obj), actor=Actor.for_user(request.user), obj=obj, form=form, change=change
        )
        copy_saved(saved, obj)
