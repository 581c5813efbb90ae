from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from api import views
from api.permissions import HasRole

app_name = "api"

router = DefaultRouter()
router.register("regions", views.RegionViewSet, basename="region")
router.register("agreements", views.AgreementViewSet, basename="agreement")
router.register("statuses", views.StatusViewSet, basename="status")
router.register("contacts", views.ContactViewSet, basename="contact")
router.register("snapshots", views.SnapshotViewSet, basename="snapshot")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(permission_classes=[HasRole]), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/swagger_ui.html", permission_classes=[HasRole]),
        name="docs",
    ),
    *router.urls,
]
