"""Settings for the benchmark server: the app's own settings plus a URLconf with a bare view to compare with."""

from nvo_tracker.settings import *

ROOT_URLCONF = "bench.urls"
STATIC_ROOT = BASE_DIR / "bench" / "staticfiles"
