"""Writes for accounts: the role groups, users, invitations, deactivation, two-factor and API tokens.

Every write checks who may do it, runs in one transaction and is audited in that transaction. Mails go out
inside the transaction too: when the mail server refuses, nothing is written and the caller gets the error.
"""

import hashlib
import secrets
from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.models import Group, Permission
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from accounts.models import Invitation, User
from accounts.roles import REGIO_ROLES, Role, is_beheerder, user_role
from core.audit import audit_record
from core.models import AuditEvent

# A username is at most 150 characters and invited users sign in with their e-mail address.
EMAIL_MAX_LENGTH = 150
PERMISSION_ACTIONS = {"add": "toevoegen", "change": "wijzigen", "delete": "verwijderen", "view": "bekijken"}


class InvalidLink(Exception):
    """An invitation link that is unknown (tampered), already used, withdrawn or expired."""


@transaction.atomic
def roles_ensure() -> None:
    """Create the four role groups; Beheerders get every model permission for the admin.

    Permission names are made Dutch ("Kan gebruiker wijzigen"): Django stores them in English when it creates them.
    """
    for permission in Permission.objects.select_related("content_type").filter(name__startswith="Can "):
        action = PERMISSION_ACTIONS.get(permission.codename.split("_", 1)[0])
        model = permission.content_type.model_class()
        if action and model is not None:
            permission.name = f"Kan {model._meta.verbose_name} {action}"[:255]
            permission.save(update_fields=["name"])
    for role in Role:
        group, _ = Group.objects.get_or_create(name=role.value)
        if role == Role.BEHEERDER:
            group.permissions.set(Permission.objects.all())


@transaction.atomic
def user_create(*, username: str, password: str, role: Role, regions=(), by=None, **fields) -> User:
    """Create an account with one role (and its regions); `by` is who did it (None: a command or the demo).

    The audit records the account's name, role and regions, not its password or personal details.
    """
    role = Role(role)
    user = User(username=username, is_staff=role == Role.BEHEERDER, **fields)
    user.set_password(password)
    user.full_clean()
    user.save()
    user.groups.set([Group.objects.get(name=role.value)])
    user.regions.set(regions)
    audit_record(
        kind=AuditEvent.Kind.DATA_CHANGE,
        user=by,
        description=f"Account aangemaakt: {user.username} ({role.label})",
        target=user,
        action="aangemaakt",
        old=None,
        new={"username": user.username, "role": role.value, "regions": sorted(user.regions.values_list("pk", flat=True))},
    )
    return user


@transaction.atomic
def user_afstemming_mail_set(*, user: User, enabled: bool) -> bool:
    """Switch the user's afstemming e-mails on or off; returns whether anything changed (audited when it did)."""
    current = User.objects.select_for_update().get(pk=user.pk)
    if current.afstemming_mail == enabled:
        return False
    current.afstemming_mail = enabled
    current.save(update_fields=["afstemming_mail"])
    user.afstemming_mail = enabled
    audit_record(
        kind=AuditEvent.Kind.DATA_CHANGE,
        user=user,
        description=f"E-mail over afstemming {'aan' if enabled else 'uit'}: {user.get_username()}",
        target=current,
        action="gewijzigd",
        old={"afstemming_mail": not enabled},
        new={"afstemming_mail": enabled},
    )
    return True


def _require_beheerder(actor) -> None:
    if not is_beheerder(actor):
        raise PermissionDenied("Alleen een beheerder beheert gebruikers.")


def _audit(*, actor, what: str, user: User, action: str, request=None, old=None, new=None, personal=False) -> None:
    """Who (`actor`) did what to whom (`user`), old → new (only field names for personal data); never a password,
    link or key."""
    audit_record(
        kind=AuditEvent.Kind.DATA_CHANGE,
        user=actor,
        description=f"{what}: {user.username}",
        target=user,
        action=action,
        old=old,
        new=new,
        personal=personal,
        request=request,
    )


def _clean_email(email: str, *, exclude_pk=None) -> str:
    email = (email or "").strip()
    if len(email) > EMAIL_MAX_LENGTH:
        raise ValidationError({"email": f"Een e-mailadres mag hier hoogstens {EMAIL_MAX_LENGTH} tekens hebben."})
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": "Vul een geldig e-mailadres in, bijvoorbeeld naam@gemeente.nl."}) from None
    taken = User.objects.filter(email__iexact=email) | User.objects.filter(username__iexact=email)
    if taken.exclude(pk=exclude_pk).exists():
        raise ValidationError({"email": "Er is al een account met dit e-mailadres."})
    return email


def _check_role_and_regions(role, regions) -> None:
    if role not in Role.values:
        raise ValidationError({"role": "Kies een van de vier rollen."})
    if role in REGIO_ROLES and not regions:
        raise ValidationError({"regions": "Kies ten minste één regio voor een regio-adviseur of regio-gebruiker."})
    if role not in REGIO_ROLES and regions:
        raise ValidationError({"regions": "Regio's horen alleen bij een regio-adviseur of regio-gebruiker."})


def _set_role(user: User, role: str, regions) -> None:
    user.groups.set([Group.objects.get(name=role)])
    user.regions.set(regions)
    user.is_staff = role == Role.BEHEERDER
    user.save(update_fields=["is_staff"])


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _send_invitation(invitation: Invitation, token: str) -> None:
    user = invitation.user
    context = {
        "user": user,
        "app_name": settings.APP_NAME,
        "expires_at": invitation.expires_at,
        "link": settings.SITE_URL.rstrip("/") + reverse("accounts:invitation_accept", args=[token]),
    }
    send_mail(
        subject=render_to_string("accounts/email/invitation_subject.txt", context).strip(),
        message=render_to_string("accounts/email/invitation.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[user.email],
    )


def _renew_and_send(invitation: Invitation) -> None:
    token = secrets.token_urlsafe(32)
    invitation.token_hash = _hash(token)
    invitation.sent_at = timezone.now()
    invitation.expires_at = invitation.sent_at + timedelta(days=settings.INVITATION_VALID_DAYS)
    invitation.save()
    _send_invitation(invitation, token)


@transaction.atomic
def user_invite(*, actor, email: str, first_name: str, last_name: str, role: str, regions=(), request=None) -> User:
    """Create an inactive account with the role and regions and e-mail its owner a link to choose a password."""
    _require_beheerder(actor)
    errors = {}
    for check in (lambda: _clean_email(email), lambda: _check_role_and_regions(role, list(regions))):
        try:
            check()
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    email = email.strip()
    user = User(username=email.lower(), email=email, first_name=first_name.strip(), last_name=last_name.strip(), is_active=False)
    user.set_unusable_password()
    try:
        user.full_clean()
    except ValidationError as error:
        if "username" in error.message_dict:  # the address becomes the username
            raise ValidationError({"email": "Dit e-mailadres bevat tekens die niet in een gebruikersnaam passen."}) from None
        raise
    user.save()
    _set_role(user, role, regions)
    invitation = Invitation(user=user, invited_by=actor)
    _renew_and_send(invitation)
    _audit(
        actor=actor,
        what="Gebruiker uitgenodigd",
        user=user,
        request=request,
        action="uitgenodigd",
        old=None,
        new={"role": role, "regions": sorted(region.code for region in regions)},
    )
    return user


def _open_invitation(user: User) -> Invitation:
    if user.status != User.Status.INVITED:
        raise ValidationError("Deze gebruiker heeft geen openstaande uitnodiging.")
    return user.invitation


@transaction.atomic
def invitation_resend(*, actor, user: User, request=None) -> None:
    """A new link (the old one stops working), valid for INVITATION_VALID_DAYS from now."""
    _require_beheerder(actor)
    _renew_and_send(_open_invitation(user))
    _audit(actor=actor, what="Uitnodiging opnieuw verstuurd", user=user, request=request, action="uitnodiging opnieuw verstuurd")


@transaction.atomic
def invitation_withdraw(*, actor, user: User, request=None) -> None:
    """Withdraw an open invitation: the account, never used, is removed and the address can be invited again."""
    _require_beheerder(actor)
    _open_invitation(user)
    _audit(actor=actor, what="Uitnodiging ingetrokken", user=user, request=request, action="uitnodiging ingetrokken")
    user.delete()


def invitation_for_token(token: str) -> Invitation:
    """The open invitation the link belongs to; InvalidLink when it is unknown, used, withdrawn or expired."""
    invitation = Invitation.objects.select_related("user").filter(token_hash=_hash(token)).first()
    if invitation is None or invitation.accepted_at is not None or invitation.user.is_active or invitation.expires_at <= timezone.now():
        raise InvalidLink
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, password: str, request=None) -> User:
    """Set the chosen password and activate the account; the link cannot be used again."""
    invitation = invitation_for_token(token)
    invitation = Invitation.objects.select_for_update().select_related("user").get(pk=invitation.pk)
    if invitation.accepted_at is not None:  # accepted in a parallel request since the check above
        raise InvalidLink
    user = invitation.user
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.is_active = True
    user.save(update_fields=["password", "is_active"])
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    _audit(actor=user, what="Uitnodiging geaccepteerd", user=user, request=request, action="uitnodiging geaccepteerd")
    return user


def link_request_allowed(*, email: str) -> bool:
    """Count a request for a link (password reset, new invitation) for this address; False past the hourly limit.

    Counted per address whether or not an account has it, so the answer tells nothing about who has an account.
    """
    key = "account-link-requests:" + _hash((email or "").strip().lower())
    cache.add(key, 0, 60 * 60)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr, or the cache is down (FailSoftRedisCache): count anew
        cache.set(key, 1, 60 * 60)
        count = 1
    return count <= settings.ACCOUNT_LINK_REQUESTS_PER_HOUR


@transaction.atomic
def invitation_request_new_link(*, email: str, request=None) -> None:
    """The invitee asks for a new link (theirs expired): sent only when the address has an open invitation."""
    user = User.objects.filter(email__iexact=(email or "").strip(), is_active=False).select_related("invitation").first()
    if user is None or user.status != User.Status.INVITED:
        return
    _renew_and_send(user.invitation)
    _audit(actor=None, what="Nieuwe uitnodigingslink aangevraagd", user=user, request=request, action="nieuwe uitnodigingslink")


@transaction.atomic
def user_update(*, actor, user: User, role: str, regions=(), request=None) -> None:
    """Change a user's role and regions."""
    _require_beheerder(actor)
    regions = list(regions)
    _check_role_and_regions(role, regions)
    old_role, old_regions = user_role(user), sorted(user.regions.values_list("code", flat=True))
    if user.pk == actor.pk and role != old_role:
        raise ValidationError({"role": "U kunt uw eigen rol niet wijzigen; vraag een andere beheerder."})
    _set_role(user, role, regions)
    new_regions = sorted(region.code for region in regions)
    _audit(
        actor=actor,
        what="Rol en regio's gewijzigd",
        user=user,
        request=request,
        action="gewijzigd",
        old={"role": old_role, "regions": old_regions},
        new={"role": role, "regions": new_regions},
    )


def _end_sessions(user: User) -> None:
    """Delete the user's sessions from the database and the cache (cached_db): they stop at their next request."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            store(session_key=session.session_key).delete()


@transaction.atomic
def user_deactivate(*, actor, user: User, request=None) -> None:
    """The user can no longer sign in; their sessions and API token stop at once. The history keeps their name."""
    _require_beheerder(actor)
    if user.pk == actor.pk:
        raise ValidationError("U kunt uw eigen account niet deactiveren.")
    if user.status != User.Status.ACTIVE:
        raise ValidationError("Dit account is niet actief.")
    user.is_active = False
    user.save(update_fields=["is_active"])
    Token.objects.filter(user=user).delete()
    _end_sessions(user)
    _audit(
        actor=actor,
        what="Gebruiker gedeactiveerd",
        user=user,
        request=request,
        action="gedeactiveerd",
        old={"is_active": True},
        new={"is_active": False},
    )


@transaction.atomic
def user_reactivate(*, actor, user: User, request=None) -> None:
    """A deactivated user may sign in again, with their old password (API tokens are not restored)."""
    _require_beheerder(actor)
    if user.status != User.Status.DEACTIVATED:
        raise ValidationError("Dit account is niet gedeactiveerd.")
    user.is_active = True
    user.save(update_fields=["is_active"])
    _audit(
        actor=actor,
        what="Gebruiker geheractiveerd",
        user=user,
        request=request,
        action="geheractiveerd",
        old={"is_active": False},
        new={"is_active": True},
    )


@transaction.atomic
def user_two_factor_reset(*, actor, user: User, request=None) -> int:
    """Remove the user's authenticator app and backup codes; where two-factor is required they set it up anew."""
    _require_beheerder(actor)
    removed = TOTPDevice.objects.filter(user=user).delete()[0] + StaticDevice.objects.filter(user=user).delete()[0]
    _audit(actor=actor, what="Tweestapsverificatie gereset", user=user, request=request, action="tweestapsverificatie gereset")
    return removed


@transaction.atomic
def user_token_create(*, actor, user: User, request=None) -> str:
    """A new API token for the user (an existing one stops working); its key is returned to be shown once."""
    _require_beheerder(actor)
    if not user.is_active:
        raise ValidationError("Een gedeactiveerd of uitgenodigd account krijgt geen API-token.")
    Token.objects.filter(user=user).delete()
    token = Token.objects.create(user=user)
    _audit(actor=actor, what="API-token aangemaakt", user=user, request=request, action="API-token aangemaakt")
    return token.key


@transaction.atomic
def user_token_revoke(*, actor, user: User, request=None) -> None:
    _require_beheerder(actor)
    if not Token.objects.filter(user=user).delete()[0]:
        raise ValidationError("Deze gebruiker heeft geen API-token.")
    _audit(actor=actor, what="API-token ingetrokken", user=user, request=request, action="API-token ingetrokken")


@transaction.atomic
def user_profile_update(*, user: User, first_name: str, last_name: str, email: str, request=None) -> None:
    """ "Mijn gegevens": a signed-in user changes their own name and e-mail address."""
    email = _clean_email(email, exclude_pk=user.pk)
    fields = ("first_name", "last_name", "email")
    old = {name: getattr(user, name) for name in fields}
    user.first_name, user.last_name, user.email = first_name.strip(), last_name.strip(), email
    user.full_clean()
    user.save(update_fields=list(fields))
    new = {name: getattr(user, name) for name in fields}
    _audit(actor=user, what="Eigen gegevens gewijzigd", user=user, request=request, action="gewijzigd", old=old, new=new, personal=True)


@transaction.atomic
def password_change_audit(*, user: User, how: str, request=None) -> None:
    """Record that a user changed their own password (Django's views write it); never the password itself."""
    _audit(actor=user, what=f"Wachtwoord {how}", user=user, request=request, action="wachtwoord gewijzigd")
