from datetime import UTC
from functools import cache

import django_filters
from django import forms
from django_filters.fields import IsoDateTimeField
from django_filters.rest_framework import DjangoFilterBackend

from .pagination import PAGE_PARAMS


@cache
def plain_exact_filters(filterset_class) -> dict[str, str]:
    """Query parameters of a FilterSet that are plain exact matches on a column (a CharFilter
    with no method, the `exact` lookup and no extra form validation), by parameter name →
    field name."""
    return {
        name: f.field_name
        for name, f in filterset_class.base_filters.items()
        if type(f) is django_filters.CharFilter
        and f.method is None
        and f.lookup_expr == "exact"
        and not f.exclude
        and set(f.extra) <= {"help_text", "label", "required"}
    }


class FilterBackend(DjangoFilterBackend):
    """django-filter, with a short cut for the common cases: building a FilterSet (deep copies
    of every filter, a form, its validation) costs more than serving the page itself.

    - no filter parameter → the queryset as it is;
    - only plain exact-match parameters → the same `.filter()` django-filter would apply
      (values stripped, empty ones ignored, the last value of a repeated parameter wins);
    - anything else → django-filter, with its validation and 400s."""

    def filter_queryset(self, request, queryset, view):
        params = request.query_params.keys() - PAGE_PARAMS
        if not params:
            return queryset
        filterset_class = self.get_filterset_class(view, queryset)
        plain = plain_exact_filters(filterset_class) if filterset_class else {}
        if params <= plain.keys():
            # django-filter's CharField strips values and ignores empty ones; so do we.
            values = {name: request.query_params[name].strip() for name in params}
            lookups = {plain[name]: value for name, value in values.items() if value}
            return queryset.filter(**lookups)
        return super().filter_queryset(request, queryset, view)

    def get_filterset(self, request, queryset, view):
        """django-filter's FilterSet, whose refused choices name the allowed values, as the
        request bodies' do (pulsehr.api.serializers.require_json_types)."""
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            for field in filterset.form.fields.values():
                if isinstance(field, forms.ChoiceField):
                    allowed = ", ".join(str(value) for value, _ in field.choices if value != "").replace("%", "%%")
                    field.error_messages["invalid_choice"] = f'"%(value)s" is not one of {allowed}.'
        return filterset


class InstantField(IsoDateTimeField):
    """An ISO 8601 datetime (UTC when it carries no offset) that must map to a UTC instant:
    '0001-01-01T00:00:00+01:00' parses but falls before year 1 in UTC, which the database
    adapters cannot store; that is the caller's bad parameter, not our 500."""

    def to_python(self, value):
        value = super().to_python(value)
        if value is not None:
            try:
                value = value.astimezone(UTC)
            except OverflowError as exc:
                raise forms.ValidationError("This date/time is out of range.", code="invalid") from exc
        return value


class InstantFilter(django_filters.IsoDateTimeFilter):
    field_class = InstantField
