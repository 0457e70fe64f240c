from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status

from pulsehr.api.views import ListMixin, TenantViewSet
from pulsehr.tenancy.context import Actor

from .. import services
from ..models import WorkloadCheckin
from .filters import WorkloadCheckinFilter
from .serializers import WorkloadCheckinCreateSerializer, WorkloadCheckinSerializer


@extend_schema(tags=["Workload"])
@extend_schema_view(
    list=extend_schema(
        summary="List workload check-ins",
        description="The workspace environment's workload check-ins, oldest first. Filters combine: each one given "
        "narrows the list further.",
        operation_id="workload_checkins_list",
    ),
)
class WorkloadCheckinViewSet(ListMixin, TenantViewSet):
    """Weekly self-reported load: light, balanced, heavy or overloaded, one check-in per person
    per week. Check-ins are immutable once recorded."""

    model = WorkloadCheckin
    scope_resource = "workload"
    filterset_class = WorkloadCheckinFilter
    serializer_class = WorkloadCheckinSerializer
    # The API lists and creates check-ins; there is no GET by id, so a 201 carries no Location.
    has_detail_route = False

    @extend_schema(
        summary="Record a workload check-in",
        description="Records `workload.recorded`. One check-in per employee per week (409 for a second). "
        "`week_start` must be a Monday, defaults to the current week in the workspace's time zone and may not be a "
        "future week, nor a week that ended before the employee's start_date; former employees cannot check in "
        "(422). Check-ins cannot be changed or deleted once recorded. With an API key that acts as an employee, "
        "the check-in is theirs: `employee_id` may be left out, and naming anyone else is a 403.",
        operation_id="workload_checkins_create",
        request=WorkloadCheckinCreateSerializer,
        responses={201: WorkloadCheckinSerializer},
    )
    def create(self, request):
        actor = Actor.for_key(request.auth)
        serializer = WorkloadCheckinCreateSerializer(data=request.data, context={"actor": actor})
        serializer.is_valid(raise_exception=True)
        checkin = services.workload_checkin_record(tenant=self.tenant, actor=actor, **serializer.validated_data)
        return self.respond(checkin, status.HTTP_201_CREATED)
