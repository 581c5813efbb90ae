import re

from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination

_WHOLE_NUMBER = re.compile(r"[0-9]+")


class Pagination(PageNumberPagination):
    """`?page=` and `?page_size=` are whole numbers from 1 (page_size at most `max_page_size`); anything else
    gets a Dutch 400 instead of being ignored, a page past the last one a 404."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    invalid_page_message = "Deze pagina bestaat niet: er zijn minder pagina's."

    def get_page_size(self, request):
        size = self._whole_number(request, self.page_size_query_param, self.max_page_size)
        return self.page_size if size is None else size

    def get_page_number(self, request, paginator):
        number = self._whole_number(request, self.page_query_param, None)
        return 1 if number is None else number

    @staticmethod
    def _whole_number(request, name: str, maximum: int | None) -> int | None:
        if name not in request.query_params:
            return None
        text = request.query_params[name]
        digits = text.lstrip("0")
        refusal = ValidationError(
            {name: [f"Gebruik een geheel getal van 1 tot en met {maximum}." if maximum else "Gebruik een geheel getal vanaf 1."]}
        )
        if not _WHOLE_NUMBER.fullmatch(text) or not digits:
            raise refusal
        if len(digits) > 18:  # more than any page or page size there can be
            if maximum:
                raise refusal
            raise NotFound(Pagination.invalid_page_message)
        value = int(digits)
        if maximum and value > maximum:
            raise refusal
        return value

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["description"] = "Paginanummer, vanaf 1."
                parameter["schema"] = {"type": "integer", "minimum": 1}
            elif parameter["name"] == self.page_size_query_param:
                parameter["description"] = f"Aantal per pagina, 1 tot en met {self.max_page_size}."
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": self.max_page_size}
        return parameters


class SnapshotPagination(Pagination):
    """A snapshot carries every region × agreement, so a page holds a year of months."""

    page_size = 12
    max_page_size = 24
