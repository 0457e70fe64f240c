from datetime import date, timedelta

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from pulsehr.api.views import ListMixin, RetrieveMixin, TenantViewSet
from pulsehr.errors import InvalidInput
from pulsehr.tenancy.context import Actor

from .. import selectors, services
from ..models import Leave, LeaveLedgerEntry
from ..representations import balance_as_dict
from .filters import LeaveFilter, LedgerFilter
from .serializers import (
    AdjustmentCreateSerializer,
    DecisionSerializer,
    LeaveBalanceSerializer,
    LeaveCreateSerializer,
    LeaveSerializer,
    LedgerEntrySerializer,
    WhosOutSerializer,
)

EMPLOYEE_PATH = OpenApiParameter(
    "employee_id", str, OpenApiParameter.PATH, description="An employee id.", pattern="^[^/.]+$"
)


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
        description="Per leave kind, for one calendar year, summed from the ledger (`GET /v1/leave/ledger`): what "
        "the person is entitled to up to the as-of date, what is used, planned and pending, what is available "
        "for a new request, what will be left at the year's end with the accruals still to come, and carried-over "
        "amounts about to lapse. Figures are in each kind's unit (days or hours). `allowance`, `used`, `planned` "
        "and `remaining` keep their meaning from before the ledger: `available` = `entitled` − `used` − `planned` "
        "(planned includes pending). Only days inside the year count. An unknown employee is a 404.",
        operation_id="leave_balance",
        parameters=[
            EMPLOYEE_PATH,
            OpenApiParameter(
                "year",
                {"type": "integer", "minimum": selectors.MIN_YEAR, "maximum": selectors.MAX_YEAR},
                OpenApiParameter.QUERY,
                description=f"Calendar year, {selectors.MIN_YEAR}–{selectors.MAX_YEAR}; defaults to the as-of date's "
                "year. Without as_of, the figures are as of today within that year (its first or last day for "
                "another year's entitlement).",
            ),
            OpenApiParameter(
                "as_of",
                {"type": "string", "format": "date"},
                OpenApiParameter.QUERY,
                description="The date the figures are for (YYYY-MM-DD); defaults to today in the workspace's time "
                "zone. A past date gives the same figures however much is written later for later dates.",
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
        today = self.tenant.today()
        as_of = selectors.parse_date(request.query_params.get("as_of"), name="as_of", default=None)
        year = selectors.parse_year(request.query_params.get("year"), default=(as_of or today).year)
        if as_of is None:
            # Today's figures within the year: entitlement to today (or the year's first or last
            # day), usage up to today as before the ledger.
            as_of = min(max(today, date(year, 1, 1)), date(year, 12, 31))
            used_until = today
        else:
            used_until = as_of
        employee_pk, balances = selectors.leave_balances(
            tenant=self.tenant, employee_id=employee_id, year=year, as_of=as_of, used_until=used_until
        )
        return Response(
            {
                "employee_id": employee_pk,
                "year": year,
                "as_of": as_of.isoformat(),
                "balances": [balance_as_dict(b) for b in balances],
            }
        )

    def _decide(self, request, service):
        serializer = DecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        leave = service(
            tenant=self.tenant,
            leave=self.get_object(),
            actor=Actor.for_key(request.auth),
            expected_version=self.expected_version(),
            reason=serializer.validated_data["reason"],
        )
        return self.respond(leave)

    @extend_schema(
        summary="Approve leave",
        description="Approves pending leave (approval mode), with an optional reason: its days are taken in the "
        "ledger, `decided_by` names this API key and `leave.approved` is recorded. Only pending leave can be "
        "approved (422 otherwise).",
        operation_id="leave_approve",
        request=DecisionSerializer,
        responses={200: OpenApiResponse(LeaveSerializer, description="The approved leave.")},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def approve(self, request, pk=None):
        return self._decide(request, services.leave_approve)

    @extend_schema(
        summary="Reject leave",
        description="Rejects pending leave (approval mode), with an optional reason: its dates are free again, "
        "`decided_by` names this API key and `leave.rejected` is recorded. Only pending leave can be rejected "
        "(422 otherwise).",
        operation_id="leave_reject",
        request=DecisionSerializer,
        responses={200: OpenApiResponse(LeaveSerializer, description="The rejected leave.")},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def reject(self, request, pk=None):
        return self._decide(request, services.leave_reject)

    @extend_schema(
        summary="Who is out",
        description="Day by day, who is out on approved leave (and pending, with include_pending=true), with the "
        "leave's kind, and the public holidays and company days off. People are listed on the working days of "
        f"their leave. Defaults to today and the 14 days after; at most {selectors.WHOS_OUT_MAX_DAYS} days.",
        operation_id="leave_whos_out",
        parameters=[
            OpenApiParameter(
                "from",
                {"type": "string", "format": "date"},
                OpenApiParameter.QUERY,
                description="First day; today by default.",
            ),
            OpenApiParameter(
                "to",
                {"type": "string", "format": "date"},
                OpenApiParameter.QUERY,
                description="Last day, included; 14 days after from by default.",
            ),
            OpenApiParameter("department", str, OpenApiParameter.QUERY, description="Only people in this department."),
            OpenApiParameter("location", str, OpenApiParameter.QUERY, description="Only people at this location."),
            OpenApiParameter(
                "include_pending",
                {"type": "boolean", "default": False},
                OpenApiParameter.QUERY,
                description="Also list leave awaiting a decision (`true` or `false`).",
            ),
        ],
        responses={200: WhosOutSerializer},
    )
    @action(detail=False, methods=["get"], url_path="whos-out", filter_backends=[], pagination_class=None)
    def whos_out(self, request):
        params = request.query_params
        first = selectors.parse_date(params.get("from"), name="from", default=self.tenant.today())
        last = selectors.parse_date(params.get("to"), name="to", default=first + timedelta(days=14))
        include_pending = params.get("include_pending", "false")
        if include_pending not in ("true", "false"):
            raise InvalidInput("include_pending must be true or false.", fields=["include_pending"])
        days = selectors.whos_out(
            tenant=self.tenant,
            first=first,
            last=last,
            department=params.get("department"),
            location=params.get("location"),
            include_pending=include_pending == "true",
        )
        return Response({"date_from": first.isoformat(), "date_to": last.isoformat(), "days": days})


@extend_schema(tags=["Leave"])
@extend_schema_view(
    list=extend_schema(
        summary="List ledger entries",
        description="The leave ledger: every grant, accrual, carry-over, expiry, adjustment, and the taken and "
        "reversed entries of approved and cancelled leave, oldest first. A balance is a sum of these.",
        operation_id="leave_ledger_list",
    ),
)
class LeaveLedgerViewSet(ListMixin, TenantViewSet):
    """The ledger behind every leave balance."""

    model = LeaveLedgerEntry
    scope_resource = "leave"
    filterset_class = LedgerFilter
    serializer_class = LedgerEntrySerializer
    has_detail_route = False
    http_method_names = ["get", "head", "options"]


@extend_schema(tags=["Leave"])
class LeaveAdjustmentViewSet(TenantViewSet):
    """Adjustments to leave balances."""

    model = LeaveLedgerEntry
    scope_resource = "leave"
    serializer_class = LedgerEntrySerializer
    has_detail_route = False
    http_method_names = ["post", "options"]

    @extend_schema(
        summary="Adjust a leave balance",
        description="Adds to (positive `amount`) or takes from (negative) what an employee may take of a kind, in "
        "the kind's unit, with a reason: an `adjustment` entry in the ledger, naming this API key as who made "
        "it. Records `leave.balance_adjusted`.",
        operation_id="leave_adjustment_create",
        request=AdjustmentCreateSerializer,
        responses={201: OpenApiResponse(LedgerEntrySerializer, description="The adjustment's ledger entry.")},
    )
    def create(self, request):
        serializer = AdjustmentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        entry = services.leave_adjust(
            tenant=self.tenant, actor=Actor.for_key(request.auth), **serializer.validated_data
        )
        return self.respond(entry, status.HTTP_201_CREATED)
