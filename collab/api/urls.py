from rest_framework.routers import SimpleRouter

from .views.comments import CommentViewSet
from .views.reactions import ReactionViewSet
from .views.rooms import RoomViewSet
from .views.threads import ThreadViewSet
from .views.users import CollabUserViewSet

router = SimpleRouter(trailing_slash=False)
router.register("rooms", RoomViewSet, basename="room")
router.register("threads", ThreadViewSet, basename="thread")
router.register("comments", CommentViewSet, basename="comment")
router.register("reactions", ReactionViewSet, basename="reaction")
router.register("users", CollabUserViewSet, basename="collab-user")

urlpatterns = router.urls
