from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from employees.errors import EmployeeNotFound
from employees.models import Employee
from leave.selectors import MAX_YEAR, MIN_YEAR
from pulsehr.api.views import TenantViewSet
from pulsehr.tenancy.choices import ScorePrivacy

from .. import selectors
from ..constants import GROUP_DIMENSIONS
from ..errors import IndividualScoresHidden, InvalidGroupBy, InvalidScoreDates
from ..models import ScoreSnapshot
from ..representations import SNAPSHOT_ROW_FIELDS, groups_as_dict, score_as_dict, snapshot_as_dict
from .serializers import EmployeeScoreSerializer, ScoreGroupsSerializer, ScoreSnapshotSerializer

AS_OF = OpenApiParameter(
    "as_of",
    {"type": "string", "format": "date"},
    OpenApiParameter.QUERY,
    description=f"The day to compute the score for (YYYY-MM-DD, years {MIN_YEAR}–{MAX_YEAR}); defaults to today in "
    "the workspace's time zone.",
)
PRIVACY = (
    " Individual scores follow the workspace's `score_privacy`: when it is `nobody`, this answers 403 "
    "`permission_denied` saying so, whatever the key's scopes."
)


def hidden(settings: selectors.ScoreSettings) -> None:
    """API keys act for HR: they see one person's score unless the workspace shows nobody's."""
    if settings.privacy == ScorePrivacy.NOBODY:
        raise IndividualScoresHidden(
            "This workspace shows no individual Employee Scores (score_privacy is 'nobody'); "
            "GET /v1/scores/groups gives the group figures."
        )


def individual_scores_allowed(tenant) -> selectors.ScoreSettings:
    settings = selectors.score_settings(tenant=tenant)
    hidden(settings)
    return settings


@extend_schema(tags=["Employee Score"])
class EmployeeScoreViewSet(TenantViewSet):
    """One employee's Employee Score: four explained factors and their weighted mean, and its
    weekly history."""

    model = Employee
    scope_resource = "scores"
    serializer_class = EmployeeScoreSerializer
    http_method_names = ["get", "head", "options"]

    @extend_schema(
        summary="An employee's score",
        description="Recognition, participation, workload balance and time off, each 0–100 with a sentence "
        "explaining it and the figures it used (null with the reason when there is no data), and their weighted "
        "mean with its band (null when fewer than two factors have data). Former employees are scored up to "
        "their last day. An unknown employee is a 404." + PRIVACY,
        operation_id="employee_score",
        parameters=[AS_OF],
        responses={200: EmployeeScoreSerializer},
    )
    @action(detail=True, methods=["get"], url_path="score", filter_backends=[], pagination_class=None)
    def score(self, request, pk=None):
        person, settings = selectors.employee_and_settings(tenant=self.tenant, employee_id=pk)
        hidden(settings)
        if person is None:  # a 404 whatever the parameters
            raise EmployeeNotFound(f"No employee {pk}.")
        as_of = selectors.parse_day(request.query_params.get("as_of"), name="as_of", default=None)
        person, score = selectors.employee_score(tenant=self.tenant, person=person, as_of=as_of, settings=settings)
        return Response(score_as_dict(person.id, score))

    @extend_schema(
        summary="An employee's weekly score history",
        description="The weekly snapshots of the employee's score, oldest first, optionally between two dates "
        "(`from` and `to` bound the snapshots' `week_start`, both included). An unknown employee is a 404." + PRIVACY,
        operation_id="employee_score_history",
        parameters=[
            OpenApiParameter(
                "from",
                {"type": "string", "format": "date"},
                OpenApiParameter.QUERY,
                description="Earliest week (its Monday, or any day of it), YYYY-MM-DD.",
            ),
            OpenApiParameter(
                "to",
                {"type": "string", "format": "date"},
                OpenApiParameter.QUERY,
                description="Latest week (its Monday, or any day of it), YYYY-MM-DD.",
            ),
        ],
        responses={200: ScoreSnapshotSerializer(many=True)},
    )
    @action(detail=True, methods=["get"], url_path="score/history", filter_backends=[])
    def history(self, request, pk=None):
        individual_scores_allowed(self.tenant)
        employee = self.get_object()  # an unknown id is a 404 whatever the parameters
        first = selectors.parse_day(request.query_params.get("from"), name="from", default=None)
        last = selectors.parse_day(request.query_params.get("to"), name="to", default=None)
        first = first and selectors.week_start(first)  # any day names its week
        if first and last and last < first:
            raise InvalidScoreDates("to must not be before the week of from.", fields=["to"])
        rows = self.tenant.scope(ScoreSnapshot.objects).filter(employee_id=employee.pk)
        if first:
            rows = rows.filter(week_start__gte=first)
        if last:
            rows = rows.filter(week_start__lte=last)
        page = self.paginate_queryset(rows.values(*SNAPSHOT_ROW_FIELDS))
        return self.get_paginated_response([snapshot_as_dict(row) for row in page])


@extend_schema(tags=["Employee Score"])
class ScoreGroupsViewSet(TenantViewSet):
    """The Employee Score by group: what HR can see whatever the workspace's privacy setting."""

    model = ScoreSnapshot
    scope_resource = "scores"
    serializer_class = ScoreGroupsSerializer
    http_method_names = ["get", "head", "options"]

    @extend_schema(
        summary="Scores by group",
        description="The people employed on `as_of`, scored and grouped by department, location or manager (their "
        "direct reports). A group's score is the mean of its people's scores, so everyone weighs equally. A group "
        "with fewer scored people than the workspace's `min_group_size` is `suppressed` with no figures; and "
        "when any is, enough others are too that what the total minus the visible groups leaves is always at "
        "least two groups and `min_group_size` people. A factor mean over fewer people than that is null. "
        "Once the weekly snapshot of `as_of`'s week is taken, the figures are that snapshot's (and `as_of` in the "
        "answer is its Monday); before, they are computed for `as_of` itself.",
        operation_id="score_groups",
        parameters=[
            OpenApiParameter(
                "by",
                {"type": "string", "enum": list(GROUP_DIMENSIONS)},
                OpenApiParameter.QUERY,
                description="Group by `department` (the default), `location` or `manager`.",
            ),
            AS_OF,
        ],
        responses={200: ScoreGroupsSerializer},
    )
    @action(detail=False, methods=["get"], url_path="groups", filter_backends=[], pagination_class=None)
    def groups(self, request):
        by = request.query_params.get("by") or "department"
        if by not in GROUP_DIMENSIONS:
            raise InvalidGroupBy(f"by must be one of {', '.join(GROUP_DIMENSIONS)}.")
        as_of = selectors.parse_day(request.query_params.get("as_of"), name="as_of", default=None)
        report = selectors.score_groups(tenant=self.tenant, by=by, as_of=as_of)
        return Response(groups_as_dict(report))
