from rest_framework.routers import SimpleRouter

from .views import EmployeeScoreViewSet, ScoreGroupsViewSet

router = SimpleRouter(trailing_slash=False)
router.register("employees", EmployeeScoreViewSet, basename="employee-score")
router.register("scores", ScoreGroupsViewSet, basename="score-groups")

urlpatterns = router.urls
