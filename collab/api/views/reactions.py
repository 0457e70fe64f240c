from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response

from ... import services
from ...models import Reaction
from ...permissions import require_own
from ..serializers import ReactionSerializer
from .base import CollabViewSet


@extend_schema(tags=["Collaboration"])
class ReactionViewSet(CollabViewSet):
    model = Reaction
    serializer_class = ReactionSerializer
    room_key_lookup = "comment__room__key"
    http_method_names = ["delete", "options"]

    def get_queryset(self):
        return super().get_queryset().select_related("comment__room")

    @extend_schema(
        summary="Remove a reaction",
        description="Removes the reaction from its comment; records `reaction.removed` and pushes it to the room's "
        "sockets. With a room token, only the person who reacted can.",
        operation_id="reactions_delete",
        responses={204: OpenApiResponse(description="Deleted.")},
    )
    def destroy(self, request, pk=None):
        reaction = self.get_object()
        require_own(self.room_token, reaction.user_id, "someone else's reaction")
        services.reaction_remove(tenant=self.tenant, actor=self.actor, reaction=reaction)
        return Response(status=status.HTTP_204_NO_CONTENT)
