"""The one place where views ask who may open them; the rules themselves live in accounts.roles."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from django.shortcuts import get_object_or_404

from accounts.roles import can_edit_region, user_roles
from regions.models import Region

PENDING_POST_KEY = "nvo_pending_post"
SESSION_EXPIRED_MESSAGE = "Uw sessie was verlopen; controleer uw wijzigingen en sla opnieuw op."


def role_required(view):
    """Signed-in users with a role may open the page; anonymous visitors go to the login page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not user_roles(request.user):
            raise PermissionDenied("Uw account heeft geen rol; vraag een beheerder om u er een te geven.")
        return view(request, *args, **kwargs)

    return wrapper


def region_editor_required(view):
    """For the edit pages of one region (URL kwarg `slug`): only users who may edit it get in.

    The view is called with the Region instead of the slug. A POST from a visitor whose session expired
    is kept in the session; after logging in again the view gets it back as `request.pending_data`
    to fill the form (it is never saved automatically).
    """

    @wraps(view)
    def wrapper(request, slug, **kwargs):
        if not request.user.is_authenticated:
            if request.method == "POST":
                data = request.POST.copy()
                data.pop("csrfmiddlewaretoken", None)
                request.session[PENDING_POST_KEY] = {"path": request.path, "data": data.urlencode()}
            return redirect_to_login(request.path)
        region = get_object_or_404(Region, slug=slug)
        if not can_edit_region(request.user, region.pk):
            raise PermissionDenied("U mag deze regio niet bewerken.")
        request.pending_data = None
        pending = request.session.get(PENDING_POST_KEY)
        if request.method == "GET" and pending and pending["path"] == request.path:
            del request.session[PENDING_POST_KEY]
            request.pending_data = QueryDict(pending["data"])
            messages.warning(request, SESSION_EXPIRED_MESSAGE)
        return view(request, region=region, **kwargs)

    return wrapper
