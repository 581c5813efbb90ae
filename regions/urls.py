from django.urls import path

from regions import views

urlpatterns = [
    path("", views.home, name="home"),
    path("gemeenten/zoeken/", views.municipality_search, name="municipality_search"),
    path("gemeenten/suggesties/", views.municipality_suggestions, name="municipality_suggestions"),
]
