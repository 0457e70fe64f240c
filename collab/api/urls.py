from rest_framework.routers import SimpleRouter

from .views import CollabUserViewSet, CommentViewSet, ReactionViewSet, RoomViewSet, ThreadViewSet

router = SimpleRouter(trailing_slash=False)
router.register("rooms", RoomViewSet, basename="room")
router.register("threads", ThreadViewSet, basename="thread")
router.register("comments", CommentViewSet, basename="comment")
router.register("reactions", ReactionViewSet, basename="reaction")
router.register("users", CollabUserViewSet, basename="collab-user")

urlpatterns = router.urls
