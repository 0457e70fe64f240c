from rest_framework.routers import SimpleRouter

from .views import LeaveViewSet

router = SimpleRouter(trailing_slash=False)
router.register("leave", LeaveViewSet, basename="leave")

urlpatterns = router.urls
