from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status

from pulsehr.api.views import ListMixin, RetrieveMixin, TenantViewSet
from pulsehr.tenancy.context import Actor

from .. import services
from ..models import Employee
from .filters import EmployeeFilter
from .serializers import EmployeeCreateSerializer, EmployeeSerializer, EmployeeUpdateSerializer


@extend_schema(tags=["Employees"])
@extend_schema_view(
    list=extend_schema(
        summary="List employees",
        description="The workspace environment's employees, active and former, oldest first. Filters combine: "
        "each one given narrows the list further.",
        operation_id="employees_list",
    ),
    retrieve=extend_schema(
        summary="Retrieve an employee",
        description="One employee, active or former, with its version as the ETag.",
        operation_id="employees_retrieve",
    ),
)
class EmployeeViewSet(ListMixin, RetrieveMixin, TenantViewSet):
    model = Employee
    scope_resource = "employees"
    filterset_class = EmployeeFilter
    serializer_class = EmployeeSerializer
    versioned = True

    @extend_schema(
        summary="Create an employee",
        description="Adds an employee and records `employee.created`. The email, when given, must be unique within "
        "the workspace environment, and the manager must be an employee of it (422 otherwise).",
        operation_id="employees_create",
        request=EmployeeCreateSerializer,
        responses={201: EmployeeSerializer},
    )
    def create(self, request):
        serializer = EmployeeCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        employee = services.employee_create(
            tenant=self.tenant, actor=Actor.for_key(request.auth), **serializer.validated_data
        )
        return self.respond(employee, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Update an employee",
        description="Send only the fields to change; pass the ETag as If-Match to avoid overwriting a newer version. "
        "A request that changes nothing records nothing; otherwise the version increments and `employee.updated` is "
        "recorded. Setting end_date to today or earlier makes the employee former, as offboarding does, but the "
        "event is still `employee.updated`.",
        operation_id="employees_update",
        request=EmployeeUpdateSerializer,
        responses={200: EmployeeSerializer},
    )
    def partial_update(self, request, pk=None):
        employee = self.get_object()
        serializer = EmployeeUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        employee = services.employee_update(
            tenant=self.tenant,
            employee=employee,
            actor=Actor.for_key(request.auth),
            expected_version=self.expected_version(),
            **serializer.validated_data,
        )
        return self.respond(employee)

    @extend_schema(
        summary="Offboard an employee",
        description="Sets end_date to today (if unset or later) so the status becomes former, and records "
        "`employee.offboarded`; the record is kept. Offboarding a former employee changes nothing and records "
        "nothing; someone whose start_date is still ahead cannot be offboarded (422).",
        operation_id="employees_offboard",
        responses={200: OpenApiResponse(EmployeeSerializer, description="The offboarded employee.")},
    )
    def destroy(self, request, pk=None):
        employee = services.employee_offboard(
            tenant=self.tenant,
            employee=self.get_object(),
            actor=Actor.for_key(request.auth),
            expected_version=self.expected_version(),
        )
        return self.respond(employee)
