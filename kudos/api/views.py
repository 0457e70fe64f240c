from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status

from pulsehr.api.views import ListMixin, TenantViewSet
from pulsehr.tenancy.context import Actor

from .. import services
from ..models import Kudos
from .filters import KudosFilter
from .serializers import KudosCreateSerializer, KudosSerializer


@extend_schema(tags=["Kudos"])
@extend_schema_view(
    list=extend_schema(
        summary="List kudos",
        description="Kudos given in the workspace environment, oldest first. Filters combine: each one given narrows "
        "the list further.",
        operation_id="kudos_list",
    )
)
class KudosViewSet(ListMixin, TenantViewSet):
    """Peer recognition: one employee thanks another with coins. Kudos are immutable once given."""

    model = Kudos
    scope_resource = "kudos"
    filterset_class = KudosFilter
    serializer_class = KudosSerializer
    has_detail_route = False  # the spec lists no GET /v1/kudos/{id}

    @extend_schema(
        summary="Give kudos",
        description="Records `kudos.awarded`. Both people must be active employees of this workspace environment, "
        "and different. The coins count against the giver's monthly allowance (set per workspace, 100 coins by "
        "default) for the calendar month in the workspace's time zone; a kudos that would exceed it is a 422 "
        "naming `coins`, whose message says how many coins are left this month. Kudos cannot be changed or "
        "deleted once given. With an API key that acts as an employee, the kudos is from them: "
        "`from_employee_id` may be left out, and naming anyone else is a 403.",
        operation_id="kudos_create",
        request=KudosCreateSerializer,
        responses={201: KudosSerializer},
    )
    def create(self, request):
        actor = Actor.for_key(request.auth)
        serializer = KudosCreateSerializer(data=request.data, context={"actor": actor})
        serializer.is_valid(raise_exception=True)
        kudos = services.kudos_award(tenant=self.tenant, actor=actor, **serializer.validated_data)
        return self.respond(kudos, status.HTTP_201_CREATED)
