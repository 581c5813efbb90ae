from django.urls import path
from two_factor.views import (
    BackupTokensView,
    DisableView,
    ProfileView,
    QRGeneratorView,
    SetupCompleteView,
    SetupView,
)

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
