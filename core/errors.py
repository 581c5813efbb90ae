"""The application's own exceptions: services raise them, views and the API translate them in one place."""


class ApplicationError(Exception):
    """A business rule refused the request; `message` is Dutch and safe to show to the user."""

    def __init__(self, message: str, *, extra: dict | None = None):
        super().__init__(message)
        self.message = message
        self.extra = extra or {}


class ConflictError(ApplicationError):
    """Someone else saved the object since the user loaded it; `current` is the object as it is now."""

    def __init__(self, message: str, *, current):
        super().__init__(message)
        self.current = current


# The API's answer to an unknown URL or object, in Dutch (Django's own text names the model, in English).
API_NOT_FOUND_MESSAGE = "Niet gevonden: deze API-url of dit object bestaat niet."
