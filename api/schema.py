"""What the OpenAPI schema says beyond what drf-spectacular derives from the views: every error answer the API
can give, and the real ranges of numbers and texts (a `drf_spectacular` postprocessing hook).

Schemathesis (`api/tests/test_schemathesis.py`) holds the API to this schema in both directions: every answer
must be documented, every request the schema allows must be accepted, every request it forbids refused.
"""

from django.db import DatabaseError
from django.db.models import Max

from agreements.models import Criterion

ERROR = {"$ref": "#/components/schemas/Fout"}
ERROR_SCHEMA = {
    "type": "object",
    "description": "Een fout: `detail` (tekst) of per veld een lijst met meldingen.",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": True,
}
ERRORS = {
    "400": "Ongeldige invoer (ook een parameter buiten het bereik, of een NUL-teken); de fouten staan per veld of onder `detail`.",
    "401": "Niet aangemeld: stuur `Authorization: Token <sleutel>`.",
    "403": "Uw account heeft geen rol, of u mag dit niet.",
    "404": "Bestaat niet, of de pagina ligt voorbij de laatste.",
}
WRITE_ERRORS = {
    "413": "Het verzoek is groter dan 3 MB.",
    "415": "Stuur de gegevens als `application/json`.",
}
# Text parameters may hold any character except NUL (refused with 400 by RequestInputGuardMiddleware).
NO_NUL = "^[^\\x00]*$"


def _largest_criterion_number() -> int | None:
    try:
        return Criterion.objects.aggregate(largest=Max("order"))["largest"]
    except DatabaseError:
        return None


def add_errors_and_ranges(result, generator, request, public):
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Fout"] = ERROR_SCHEMA
    for item in result.get("paths", {}).values():
        for method, operation in item.items():
            errors = ERRORS | (WRITE_ERRORS if method in ("put", "patch", "post") else {})
            for code, description in errors.items():
                answer = operation["responses"].setdefault(code, {"description": description})
                answer.setdefault("content", {"application/json": {"schema": ERROR}})
            for parameter in operation.get("parameters", []):
                schema = parameter["schema"]
                if schema.get("type") == "string" and "pattern" not in schema and "enum" not in schema:
                    schema["pattern"] = NO_NUL
    # The served schema (/api/schema/) gives criteria numbers their real range, from the database; generated
    # offline (`manage.py spectacular`, no request) it leaves the maximum open.
    largest = _largest_criterion_number() if request is not None else None
    for name, component in components.items():
        criteria = component.get("properties", {}).get("criteria_met")
        if criteria and name.startswith("Status") and "items" in criteria and largest:
            criteria["items"]["maximum"] = largest
    return result
