from django.urls import path

from agreements import views

urlpatterns = [
    path("regios/<slug:slug>/afspraken/<int:number>/bewerken/", views.status_edit, name="status_edit"),
]
