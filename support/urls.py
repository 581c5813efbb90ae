from django.urls import path

from support import views

app_name = "support"

urlpatterns = [
    path("regios/<slug:slug>/ondersteuning/nieuw/", views.support_action_create, name="support_action_create"),
    path("ondersteuning/<int:pk>/bewerken/", views.support_action_edit, name="support_action_edit"),
    path("netwerk/bijeenkomsten/", views.meeting_list, name="meeting_list"),
    path("netwerk/bijeenkomsten/nieuw/", views.meeting_create, name="meeting_create"),
    path("netwerk/bijeenkomsten/<int:pk>/bewerken/", views.meeting_edit, name="meeting_edit"),
    path("netwerk/bijeenkomsten/<int:pk>/aanwezigheid/", views.meeting_attendance, name="meeting_attendance"),
    path("netwerk/bijeenkomsten/<int:pk>/agenda.ics", views.meeting_ics, name="meeting_ics"),
    path("netwerk/<str:network>/contactpersonen/", views.network_contacts, name="network_contacts"),
    path("netwerk/<str:network>/contactpersonen.csv", views.network_contacts_csv, name="network_contacts_csv"),
]
