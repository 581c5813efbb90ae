from django.urls import path

from regions import views

app_name = "regions"

urlpatterns = [
    path("gemeenten/zoeken/", views.municipality_search, name="municipality_search"),
    path("gemeenten/suggesties/", views.municipality_suggestions, name="municipality_suggestions"),
    path("regios/<slug:slug>/contactpersonen/bewerken/", views.contacts_edit, name="contacts_edit"),
    path("regios/<slug:slug>/regiovisie/bewerken/", views.adoptions_edit, name="adoptions_edit"),
]
