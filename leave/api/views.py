from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from pulsehr.api.views import ListMixin, RetrieveMixin, TenantViewSet
from pulsehr.tenancy.context import Actor

from .. import selectors, services
from ..models import Leave
from ..representations import balance_as_dict
from .filters import LeaveFilter
from .serializers import LeaveBalanceSerializer, LeaveCreateSerializer, LeaveSerializer


@extend_schema(tags=["Leave"])
@extend_schema_view(
    list=extend_schema(
        summary="List leave",
        description="The workspace environment's leave journal, oldest first, in every status unless `status` "
        "narrows it. `date_from` and `date_to` together select the leave that overlaps a window.",
        operation_id="leave_list",
    ),
    retrieve=extend_schema(
        summary="Retrieve leave",
        description="One leave entry, whatever its status, with its version as the ETag.",
        operation_id="leave_retrieve",
    ),
)
class LeaveViewSet(ListMixin, RetrieveMixin, TenantViewSet):
    """The leave journal: who is away, when, and what it costs in working days."""

    model = Leave
    scope_resource = "leave"
    filterset_class = LeaveFilter
    serializer_class = LeaveSerializer
    versioned = True
    http_method_names = ["get", "post", "delete", "head", "options"]

    @extend_schema(
        summary="Log leave",
        description="The server computes `days` from the workspace's work week, public holidays and company days "
        "off. Leave is `approved` at once, or `pending` until HR staff decide when the workspace requires approval. "
        "It may not overlap the employee's other pending or approved leave, nor fall outside their employment, and "
        "must contain at least one working day (422 otherwise). Records `leave.logged`.",
        operation_id="leave_create",
        request=LeaveCreateSerializer,
        responses={201: LeaveSerializer},
    )
    def create(self, request):
        serializer = LeaveCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        leave = services.leave_log(tenant=self.tenant, actor=Actor.for_key(request.auth), **serializer.validated_data)
        return self.respond(leave, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Cancel leave",
        description="Cancels pending or approved leave: sets status to `cancelled`, keeps the record and records "
        "`leave.cancelled`; its days no longer count in the balance or block other leave. Cancelling again "
        "changes nothing and records nothing; rejected leave cannot be cancelled (422).",
        operation_id="leave_cancel",
        responses={200: OpenApiResponse(LeaveSerializer, description="The cancelled leave.")},
    )
    def destroy(self, request, pk=None):
        leave = services.leave_cancel(
            tenant=self.tenant,
            leave=self.get_object(),
            actor=Actor.for_key(request.auth),
            expected_version=self.expected_version(),
        )
        return self.respond(leave)

    @extend_schema(
        summary="Leave balance of an employee",
        description="Per leave kind, for one calendar year: the allowance (prorated for people who join or leave "
        "during the year), days used (approved, up to today) and planned (approved after today, and pending), and "
        "what remains. Only days inside the year count. An unknown employee is a 404.",
        operation_id="leave_balance",
        parameters=[
            OpenApiParameter(
                "employee_id", str, OpenApiParameter.PATH, description="An employee id.", pattern="^[^/.]+$"
            ),
            OpenApiParameter(
                "year",
                {"type": "integer", "minimum": selectors.MIN_YEAR, "maximum": selectors.MAX_YEAR},
                OpenApiParameter.QUERY,
                description=f"Calendar year, {selectors.MIN_YEAR}–{selectors.MAX_YEAR}; defaults to the current "
                "year in the workspace's time zone.",
            ),
        ],
        responses={200: LeaveBalanceSerializer},
    )
    @action(
        detail=False,
        methods=["get"],
        url_path=r"balance/(?P<employee_id>[^/.]+)",
        filter_backends=[],
        pagination_class=None,
    )
    def balance(self, request, employee_id=None):
        year = selectors.parse_year(request.query_params.get("year"), default=self.tenant.today().year)
        employee_pk, balances = selectors.leave_balances(tenant=self.tenant, employee_id=employee_id, year=year)
        return Response({"employee_id": employee_pk, "year": year, "balances": [balance_as_dict(b) for b in balances]})
