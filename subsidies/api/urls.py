"""API routes of the subsidies app: Art. 13 service teams, Art. 14 schemes and reward calls."""

from rest_framework.routers import DefaultRouter

from subsidies.api.views import rewards, schemes, service_teams

router = DefaultRouter()
router.include_root_view = False
router.register("service-teams", service_teams.ServiceTeamViewSet, basename="service-team")
router.register("service-requests", service_teams.ServiceRequestViewSet, basename="service-request")
router.register("consultations", service_teams.ConsultationViewSet, basename="consultation")
router.register("schemes", schemes.SchemeViewSet, basename="scheme")
router.register("applications", schemes.ApplicationViewSet, basename="application")
router.register("reward-calls", rewards.RewardCallViewSet, basename="reward-call")
router.register("review-scores", rewards.ReviewScoreViewSet, basename="review-score")

urlpatterns = router.urls
