from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_migrate


def _ensure_roles(sender, **kwargs):
    from accounts.services import roles_ensure

    roles_ensure()


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = "Gebruikers en toegang"

    def ready(self):
        from accounts.admin import unregister_secret_showing_admins
        from accounts.authentication import connect_signals
        from accounts.middleware import SessionRenewalMiddleware

        unregister_secret_showing_admins()  # the admin has imported every app's admin module by now

        # After every migrate (also of the test database) the role groups exist. Connected for every app,
        # not only this one: Beheerders get every permission, also of apps migrated after accounts.
        post_migrate.connect(_ensure_roles, dispatch_uid="accounts.ensure_roles")
        user_logged_in.connect(SessionRenewalMiddleware.stamp, dispatch_uid="accounts.session_renewal_stamp")
        connect_signals(self.get_model("User"))
