from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status

from pulsehr.api.views import ListMixin, RetrieveMixin, TenantViewSet
from pulsehr.tenancy.context import Actor

from .. import services
from ..models import StatusLogEntry
from .filters import StatusLogEntryFilter
from .serializers import StatusLogEntryCreateSerializer, StatusLogEntrySerializer


@extend_schema(tags=["Status log"])
@extend_schema_view(
    list=extend_schema(
        summary="List status-log entries",
        description="The workspace environment's status-log entries, oldest first. Filters combine: each one given "
        "narrows the list further.",
        operation_id="status_log_list",
    ),
    retrieve=extend_schema(
        summary="Retrieve a status-log entry",
        description="One status-log entry. Entries cannot be changed or deleted once posted.",
        operation_id="status_log_retrieve",
    ),
)
class StatusLogEntryViewSet(ListMixin, RetrieveMixin, TenantViewSet):
    """Async-standup entries: up to three short lines per person per day. Entries are
    immutable once posted."""

    model = StatusLogEntry
    scope_resource = "status_log"
    filterset_class = StatusLogEntryFilter
    serializer_class = StatusLogEntrySerializer

    @extend_schema(
        summary="Post a status-log entry",
        description="Records `status_log.posted`. One entry per employee per date (409 for a second). `date` "
        "defaults to today in the workspace's time zone and may not be in the future nor before the employee's "
        "start_date; former employees cannot post (422). With an API key that acts as an employee, the entry is "
        "theirs: `employee_id` may be left out, and naming anyone else is a 403.",
        operation_id="status_log_create",
        request=StatusLogEntryCreateSerializer,
        responses={201: StatusLogEntrySerializer},
    )
    def create(self, request):
        actor = Actor.for_key(request.auth)
        serializer = StatusLogEntryCreateSerializer(data=request.data, context={"actor": actor})
        serializer.is_valid(raise_exception=True)
        entry = services.status_log_entry_post(tenant=self.tenant, actor=actor, **serializer.validated_data)
        return self.respond(entry, status.HTTP_201_CREATED)
