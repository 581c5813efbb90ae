from django.contrib.auth import views as auth_views
from django.urls import path
from two_factor.views import (
    BackupTokensView,
    DisableView,
    ProfileView,
    QRGeneratorView,
    SetupCompleteView,
    SetupView,
)

from accounts import views
from accounts.oidc import OrganisationCallbackView, OrganisationLoginView

app_name = "accounts"

urlpatterns = [
    path("gebruikers/", views.user_list, name="user_list"),
    path("gebruikers/uitnodigen/", views.user_invite, name="user_invite"),
    path("gebruikers/<int:pk>/", views.user_detail, name="user_detail"),
    path("gebruikers/<int:pk>/deactiveren/", views.user_action, {"action": "deactivate"}, name="user_deactivate"),
    path("gebruikers/<int:pk>/heractiveren/", views.user_action, {"action": "reactivate"}, name="user_reactivate"),
    path("gebruikers/<int:pk>/uitnodiging/opnieuw/", views.user_action, {"action": "invitation_resend"}, name="invitation_resend"),
    path("gebruikers/<int:pk>/uitnodiging/intrekken/", views.user_action, {"action": "invitation_withdraw"}, name="invitation_withdraw"),
    path(
        "gebruikers/<int:pk>/tweestapsverificatie/resetten/",
        views.user_action,
        {"action": "two_factor_reset"},
        name="user_two_factor_reset",
    ),
    path("gebruikers/<int:pk>/api-token/", views.user_token_create, name="user_token_create"),
    path("gebruikers/<int:pk>/api-token/intrekken/", views.user_action, {"action": "token_revoke"}, name="user_token_revoke"),
    path("uitnodiging/nieuwe-link/", views.invitation_new_link, name="invitation_new_link"),
    path("uitnodiging/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("mijn-gegevens/", views.profile, name="profile"),
    path("uitgelogd/", views.logged_out, name="logged_out"),
    path("inloggen/organisatie/", OrganisationLoginView.as_view(), name="oidc_login"),
    path("inloggen/organisatie/terug/", OrganisationCallbackView.as_view(), name="oidc_callback"),
]

# Django's own names, not namespaced: its views, templates and mails reverse them.
auth_urlpatterns = [
    path("inloggen/", views.LoginView.as_view(), name="login"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("wachtwoord-vergeten/", views.PasswordResetView.as_view(), name="password_reset"),
    path("wachtwoord-vergeten/verstuurd/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("wachtwoord-herstellen/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("wachtwoord-herstellen/klaar/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("mijn-gegevens/wachtwoord/", views.PasswordChangeView.as_view(), name="password_change"),
    path("mijn-gegevens/wachtwoord/gewijzigd/", views.PasswordChangeDoneView.as_view(), name="password_change_done"),
]

# Named like django-two-factor-auth's own URLs (namespace "two_factor"): its views and templates reverse them.
two_factor_patterns = (
    [
        path("", ProfileView.as_view(), name="profile"),
        path("instellen/", SetupView.as_view(), name="setup"),
        path("qrcode/", QRGeneratorView.as_view(), name="qr"),
        path("instellen/klaar/", SetupCompleteView.as_view(), name="setup_complete"),
        path("reservecodes/", BackupTokensView.as_view(), name="backup_tokens"),
        path("uitzetten/", DisableView.as_view(), name="disable"),
    ],
    "two_factor",
)
