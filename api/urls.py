from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from api import views
from api.permissions import HasRole

router = DefaultRouter()
router.register("regions", views.RegionViewSet, basename="api-region")
router.register("agreements", views.AgreementViewSet, basename="api-agreement")
router.register("statuses", views.StatusViewSet, basename="api-status")
router.register("contacts", views.ContactViewSet, basename="api-contact")
router.register("snapshots", views.SnapshotViewSet, basename="api-snapshot")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(permission_classes=[HasRole]), name="api_schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api_schema", template_name="api/swagger_ui.html", permission_classes=[HasRole]
        ),
        name="api_docs",
    ),
    *router.urls,
]
