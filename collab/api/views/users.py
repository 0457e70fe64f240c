from drf_spectacular.utils import extend_schema, extend_schema_view

from employees.models import Employee
from pulsehr.api.views import ListMixin

from ... import selectors
from ..filters import CollabUserFilter
from ..serializers import CollabUserSerializer
from .base import CollabViewSet


@extend_schema(tags=["Collaboration"])
@extend_schema_view(
    list=extend_schema(
        summary="List collaboration users",
        description="The workspace environment's active employees, as the collaboration widget shows people "
        "(authors, mentions, presence), in the order they were added. `q` narrows to names containing it. A room "
        "token lists everyone, not just its room's people.",
        operation_id="collab_users_list",
    )
)
class CollabUserViewSet(ListMixin, CollabViewSet):
    """The workspace environment's active employees, as the collaboration widget shows people
    (authors, mentions, presence). `?q=` narrows to names containing it."""

    model = Employee
    serializer_class = CollabUserSerializer
    filterset_class = CollabUserFilter

    def get_queryset(self):
        # Everyone of the workspace environment, whichever room a token is for.
        return selectors.collab_users(tenant=self.tenant)
