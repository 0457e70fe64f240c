from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response

from pulsehr.api.views import TenantViewSet, etag_for
from pulsehr.tenancy.context import Actor

from .. import services
from ..models import Employee
from .filters import EmployeeFilter
from .serializers import EmployeeCreateSerializer, EmployeeSerializer, EmployeeUpdateSerializer


@extend_schema(tags=["Employees"])
class EmployeeViewSet(TenantViewSet):
    model = Employee
    scope_resource = "employees"
    filterset_class = EmployeeFilter
    serializer_class = EmployeeSerializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": self.tenant.today()}

    def _respond(self, employee: Employee, status_code: int = status.HTTP_200_OK) -> Response:
        body = EmployeeSerializer(employee, context=self.get_serializer_context()).data
        headers = {"ETag": etag_for(employee.version)}
        if status_code == status.HTTP_201_CREATED:
            headers["Location"] = f"/v1/employees/{employee.pk}"
        return Response(body, status=status_code, headers=headers)

    @extend_schema(summary="List employees", operation_id="employees_list")
    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(summary="Retrieve an employee", operation_id="employees_retrieve")
    def retrieve(self, request, pk=None):
        return self._respond(self.get_object())

    @extend_schema(
        summary="Create an employee",
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
        return self._respond(employee, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Update an employee",
        description="Send only the fields to change. Pass the ETag as If-Match to avoid overwriting a newer version.",
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
        return self._respond(employee)

    @extend_schema(
        summary="Offboard an employee",
        description="Sets end_date to today (if unset or later) so the status becomes former. The record is kept.",
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
        return self._respond(employee)
