from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check for every sign-in through a page (they all pass the request).

    Code that authenticates without a request (Django's test client `login()`, a shell) has no address
    to lock out and no page to answer; axes would raise there, so the check is skipped.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
