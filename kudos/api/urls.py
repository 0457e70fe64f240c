from rest_framework.routers import SimpleRouter

from .views import KudosViewSet

router = SimpleRouter(trailing_slash=False)
router.register("kudos", KudosViewSet, basename="kudos")

urlpatterns = router.urls
