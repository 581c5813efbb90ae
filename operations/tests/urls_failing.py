"""A URLconf for the logging tests: one page that fails the way a bug would, with personal data at hand."""

from django.urls import path
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def failing_page(request):
    contact = request.POST.get("naam", "")  # a local variable holding personal data when it fails
    raise RuntimeError(f"kapot bij het verwerken ({len(contact)} tekens)")


urlpatterns = [path("kapot/", failing_page)]
handler500 = "operations.views.server_error"
