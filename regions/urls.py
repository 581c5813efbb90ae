from django.urls import path

from regions import views

urlpatterns = [
    path("", views.home, name="home"),
    path("gemeenten/zoeken/", views.municipality_search, name="municipality_search"),
    path("gemeenten/suggesties/", views.municipality_suggestions, name="municipality_suggestions"),
    path("mijn-regios/", views.my_regions, name="my_regions"),
    path("regios/", views.region_list, name="region_list"),
    path("regios/<slug:slug>/", views.region_detail, name="region_detail"),
    path("regios/<slug:slug>/contactpersonen/bewerken/", views.contacts_edit, name="contacts_edit"),
    path("regios/<slug:slug>/regiovisie/bewerken/", views.adoptions_edit, name="adoptions_edit"),
    path("regios/<slug:slug>/geschiedenis/", views.region_history, name="region_history"),
]
