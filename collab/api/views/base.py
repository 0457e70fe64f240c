from pulsehr.api.authentication import ApiKeyAuthentication
from pulsehr.api.views import TenantViewSet
from pulsehr.tenancy.context import Actor

from ...permissions import narrowed_to_room
from ..authentication import RoomPrincipal, RoomTokenAuthentication

AS_ITS_USER = (
    " With a room token, the request acts as the token's user, and with an API key that acts as an employee, "
    "as that employee: fields naming a person default to them, and naming anyone else is a 403."
)


class CollabViewSet(TenantViewSet):
    """The collaboration routes: an API key with read/write:collab sees the whole workspace
    environment; a room token (see RoomTokenAuthentication) only its room, acting as its user
    (the rules are in collab/permissions.py)."""

    authentication_classes = [RoomTokenAuthentication, ApiKeyAuthentication]
    scope_resource = "collab"
    # The lookup from the model to its room's key, to narrow a room token's queries to its room.
    room_key_lookup = "room__key"

    @property
    def room_token(self) -> RoomPrincipal | None:
        return self.request.auth if isinstance(self.request.auth, RoomPrincipal) else None

    @property
    def actor(self) -> Actor:
        token = self.room_token
        return token.actor if token is not None else Actor.for_key(self.request.auth)

    def get_queryset(self):
        return narrowed_to_room(super().get_queryset(), self.room_token, self.room_key_lookup)

    def page_of(self, queryset, represent):
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response([represent(row) for row in page])
