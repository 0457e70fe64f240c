"""`Authorization: Bearer rt_…`: a room token on the collaboration routes only (the rest of /v1
keeps ApiKeyAuthentication alone, so a room token there is a 401). The principal reads and
writes collab in its one room, as its one user; see collab/tokens.py for the token itself."""

from dataclasses import dataclass

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from employees.choices import EmployeeStatus
from employees.models import Employee
from pulsehr.tenancy.context import Actor, Tenant
from pulsehr.tenancy.models import Workspace

from ..tokens import TOKEN_PREFIX, InvalidRoomToken, RoomGrant, room_token_verify

COLLAB = "collab"


@dataclass(frozen=True)
class RoomPrincipal:
    """What `request.auth` is for a room token. It quacks like an ApiKey where the /v1
    machinery asks (tenant, workspace_id, environment, allows, pk for rate limits and
    idempotency keys), keyed on workspace + environment + room + user."""

    grant: RoomGrant
    tenant: Tenant

    @property
    def pk(self) -> str:
        grant = self.grant
        return f"rt:{grant.workspace_id}:{grant.environment}:{grant.user_id}:{grant.room_key}"

    @property
    def workspace_id(self) -> str:
        return self.grant.workspace_id

    @property
    def environment(self) -> str:
        return self.grant.environment

    @property
    def room_key(self) -> str:
        return self.grant.room_key

    @property
    def user_id(self) -> str:
        return self.grant.user_id

    @property
    def actor(self) -> Actor:
        return Actor("room_token", self.grant.user_id, employee_id=self.grant.user_id)

    def allows(self, action: str, resource: str) -> bool:
        return resource == COLLAB


class RoomTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        scheme, _, secret = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
        secret = secret.strip()
        if scheme.lower() != "bearer" or not secret.startswith(TOKEN_PREFIX):
            return None  # not a room token: the API key authentication has its say
        try:
            grant = room_token_verify(secret)
        except InvalidRoomToken as exc:
            raise exceptions.AuthenticationFailed(str(exc)) from exc
        # The token's user must still be an active employee, checked on every request rather
        # than cached: the workspace row the request needs anyway comes joined to the employee,
        # so the check costs no query, and an offboarding takes effect on the next request.
        employee = (
            Employee.objects.select_related("workspace")
            .filter(pk=grant.user_id, workspace_id=grant.workspace_id, environment=grant.environment)
            .first()
        )
        if employee is None and not Workspace.objects.filter(pk=grant.workspace_id).exists():
            raise exceptions.AuthenticationFailed("The room token's workspace no longer exists.")
        tenant = Tenant.of(employee) if employee is not None else None
        # 401 like an expired token (and the socket's 4401): the token no longer stands for anyone.
        if tenant is None or employee.status_on(tenant.today()) != EmployeeStatus.ACTIVE:
            raise exceptions.AuthenticationFailed(
                "The room token's user is no longer an active employee of its workspace."
            )
        principal = RoomPrincipal(grant=grant, tenant=tenant)
        return principal, principal

    def authenticate_header(self, request) -> str:
        return f'{self.keyword} realm="api"'


class RoomTokenAuthenticationScheme(OpenApiAuthenticationExtension):
    """The RoomToken scheme, declared on each collaboration operation a room token may call
    (all of them but minting tokens, which is for the integrator's backend)."""

    target_class = "collab.api.authentication.RoomTokenAuthentication"
    name = "RoomToken"

    def get_security_requirement(self, auto_schema):
        from ..permissions import ApiKeyOnly  # the permissions read this module's principal

        if any(isinstance(permission, ApiKeyOnly) for permission in auto_schema.view.get_permissions()):
            return None
        return {self.name: []}

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A room token, `rt_…`, from POST /v1/rooms/{room_id}/tokens: the collaboration routes of "
            "its one room, acting as its one user.",
        }
