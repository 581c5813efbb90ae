"""The one way a view declares who may open it: `@permission_required(rule)`. The rules live in accounts.roles.

    @permission_required(has_role)                              # any signed-in user with a role
    @permission_required(can_edit_region, load=region_for_url)  # rule(user, region.pk); the view gets the region

Anonymous visitors go to the login page. A form posted after the session ended is kept: after signing in again
the view gets it back as `request.pending_data` to fill the form (it is never saved automatically). A signed-in
user whom the rule refuses gets the Dutch 403 page (audited by operations' middleware).
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from django.views.decorators.cache import cache_control

from accounts.roles import has_role

# Pages, files and API answers that show contact persons (names, e-mail, phone) or who changed what: neither a
# shared proxy nor the browser's cache may keep them. Goes above `permission_required`, so refusals carry it too.
personal_data = cache_control(private=True, no_store=True)

PENDING_POST_KEY = "nvo_pending_post"
SESSION_EXPIRED_MESSAGE = "Uw sessie was verlopen; controleer uw wijzigingen en sla opnieuw op."
NO_ROLE_MESSAGE = "Uw account heeft geen rol; vraag een beheerder om u er een te geven."
REFUSED_MESSAGE = "U heeft geen toegang tot deze pagina."


def permission_required(rule, *, load=None):
    """Let the view run only for users `rule` allows.

    With `load`, the URL's `slug` goes to `load(slug=…)`, which returns the object the page is about (or raises
    Http404); the rule is asked `rule(user, obj.pk)` and the view gets the object in place of the slug.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                _keep_expired_post(request)
                return redirect_to_login(request.get_full_path())
            if not has_role(request.user):
                raise PermissionDenied(NO_ROLE_MESSAGE)
            if load is not None:
                obj = load(slug=kwargs.pop("slug"))
                if not rule(request.user, obj.pk):
                    raise PermissionDenied(REFUSED_MESSAGE)
                args = (obj, *args)
            elif not rule(request.user):
                raise PermissionDenied(REFUSED_MESSAGE)
            request.pending_data = _pending_post(request)
            return view(request, *args, **kwargs)

        wrapper.permission_rule = rule  # the permission matrix test reads it
        return wrapper

    return decorator


def _keep_expired_post(request) -> None:
    if request.method == "POST":
        data = request.POST.copy()
        data.pop("csrfmiddlewaretoken", None)
        request.session[PENDING_POST_KEY] = {"path": request.path, "data": data.urlencode()}


def _pending_post(request) -> QueryDict | None:
    pending = request.session.get(PENDING_POST_KEY)
    if request.method != "GET" or not pending or pending["path"] != request.path:
        return None
    del request.session[PENDING_POST_KEY]
    messages.warning(request, SESSION_EXPIRED_MESSAGE)
    return QueryDict(pending["data"])
