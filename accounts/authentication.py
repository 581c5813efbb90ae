"""The signed-in user of a request, read from the cache: no database query for the user, their roles and regions.

Django's AuthenticationMiddleware asks the database for the user on every request, and the role check asks again
for the groups. Here the user comes from the cache (the same Redis that holds the sessions) together with their
roles and region ids, and is checked exactly as Django checks it (session hash, backend, active). Every change
that matters (the user saved, its groups or regions changed, deleted) drops the entry in the same moment through
signals, so a changed role, a new password or a deactivation counts on the very next request. The timeout only
bounds what a change made around Django (raw SQL) could leave.
"""

from django.conf import settings
from django.contrib import auth
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject

from accounts.roles import user_region_ids, user_roles

CACHE_TIMEOUT = 5 * 60


def user_cache_key(user_id) -> str:
    return f"auth-user:{user_id}"


def _cached_user(request):
    session = request.session
    try:
        user_id = auth.get_user_model()._meta.pk.to_python(session[auth.SESSION_KEY])
        backend_path = session[auth.BACKEND_SESSION_KEY]
    except KeyError:
        return AnonymousUser()
    if backend_path not in settings.AUTHENTICATION_BACKENDS:
        return AnonymousUser()
    user = cache.get(user_cache_key(user_id))
    if user is None:
        user = auth.get_user(request)  # Django's own checks, and it flushes a session whose hash no longer fits
        if user.is_authenticated:
            user_roles(user), user_region_ids(user)  # computed once, stored with the user
            cache.set(user_cache_key(user.pk), user, CACHE_TIMEOUT)
        return user
    session_hash = session.get(auth.HASH_SESSION_KEY)
    if not user.is_active or not session_hash or not constant_time_compare(session_hash, user.get_session_auth_hash()):
        cache.delete(user_cache_key(user_id))
        return auth.get_user(request)
    user.backend = backend_path
    return user


class CachedAuthenticationMiddleware(AuthenticationMiddleware):
    """AuthenticationMiddleware with the user read from the cache (see the module's docstring)."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _cached_user(request))


def _forget(instance_pk) -> None:
    cache.delete(user_cache_key(instance_pk))


def forget_user(sender, instance, **kwargs) -> None:
    _forget(instance.pk)


def forget_users_of_relation(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    """User.groups / User.regions changed, from either side (a user's groups, or a group's users)."""
    if not action.startswith("post_") and action != "pre_clear":
        return
    if not reverse:
        _forget(instance.pk)
    elif pk_set:
        cache.delete_many([user_cache_key(pk) for pk in pk_set])
    else:  # clearing a group's or region's users: the users are no longer listed, so forget them all before
        for pk in getattr(instance, "user_set", getattr(instance, "users", None)).values_list("pk", flat=True):
            _forget(pk)


def connect_signals(user_model) -> None:
    post_save.connect(forget_user, sender=user_model, dispatch_uid="accounts.forget_cached_user_save")
    post_delete.connect(forget_user, sender=user_model, dispatch_uid="accounts.forget_cached_user_delete")
    for relation in (user_model.groups.through, user_model.regions.through):
        m2m_changed.connect(forget_users_of_relation, sender=relation, dispatch_uid=f"accounts.forget_cached_users_{relation.__name__}")
