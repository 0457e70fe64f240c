from django_filters.rest_framework import DjangoFilterBackend

from .pagination import PAGE_PARAMS


class FilterBackend(DjangoFilterBackend):
    """django-filter, skipped when a request names no filter: building a FilterSet costs more
    than serving an unfiltered page, and most list requests are unfiltered."""

    def filter_queryset(self, request, queryset, view):
        if request.query_params.keys() <= PAGE_PARAMS:
            return queryset
        return super().filter_queryset(request, queryset, view)
