"""The one edit flow of a page: form(s) → service → conflict → 409 page with the input kept.

    return edit_page(request, build=…, save=…, describe=…, template=…, context=…, success_url=…, success=…)

Statuses, contacts, adoptions, support actions and meetings all use it, with `templates/includes/conflict.html`.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django import forms as django_forms
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.shortcuts import redirect, render
from django.utils import formats

from core.errors import ConflictError

Row = tuple[str, list[str], list[str]]  # label, their version, your version (each as lines of text)


@dataclass(frozen=True)
class Conflict:
    """What the conflict include shows: what someone else saved, who and when, and the versions side by side."""

    subject: str  # "deze status", "het ambtelijk aanspreekpunt – primair", …
    who: str
    when: datetime | None
    rows: list[Row]


def form_errors_add(form, error: ValidationError) -> None:
    """A service's refusal as form errors: on the field it names when the form has it, else for the whole form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def forms_save(forms: Sequence, save: Callable) -> tuple[object, ConflictError | None, list]:
    """Save every form with `save(form)` in one transaction; an error on any form or a conflict saves nothing.

    Returns (the conflicting form or None, its ConflictError or None, the results of `save`). One form is saved
    in the service's own transaction: an outer one would only wrap it in a savepoint (two more round trips).
    """
    if len(forms) == 1:
        try:
            return None, None, [save(forms[0])]
        except ValidationError as error:
            form_errors_add(forms[0], error)
            return None, None, []
        except ConflictError as conflict:
            return forms[0], conflict, []
    results = []
    with transaction.atomic():
        for form in forms:
            try:
                results.append(save(form))
            except ValidationError as error:
                form_errors_add(form, error)
            except ConflictError as conflict:
                transaction.set_rollback(True)
                return form, conflict, []
        if any(form.errors for form in forms):
            transaction.set_rollback(True)
    return None, None, results


def display(value, field=None) -> list[str]:
    """A value as the lines the conflict table shows (choices by their label, dates in Dutch, lists per item)."""
    if isinstance(value, models.QuerySet | list | tuple):
        return [line for item in value for line in display(item, field)] or ["geen"]
    if value is None or value == "":
        return ["—"]
    if isinstance(field, django_forms.ChoiceField) and not isinstance(field, django_forms.ModelChoiceField):
        value = dict(field.choices).get(value, value)
    elif isinstance(value, models.Model):
        value = getattr(value, "get_full_name", lambda: "")() or str(value)
    elif not isinstance(value, str):
        value = formats.localize(value)
    return str(value).splitlines() or ["—"]


def model_form_rows(form, current) -> list[Row]:
    """Label / their version / your version for every visible field of a ModelForm."""
    rows = []
    for bound in form.visible_fields():
        name, field = bound.name, bound.field
        theirs = getattr(current, name) if current is not None else None
        rows.append((str(bound.label), display(theirs, field), display(form.cleaned_data.get(name), field)))
    return rows


def edit_page(
    request,
    *,
    build: Callable[[object], list],
    save: Callable,
    describe: Callable[[object, object], tuple[str, list[Row]]] | None,
    template: str,
    context: dict,
    success_url: str,
    success: Callable[[list], None],
    version_field: str = "version",
):
    """GET shows `build(data)`'s forms (refilled with a form posted just before the session ended); POST saves them.

    `build(data)` makes the page's forms; `save(form)` calls the service for one form; `describe(form, current)`
    gives the conflict's subject and rows when the service raised ConflictError (None for a form that cannot
    conflict: a new record, or a list replaced as a whole under a lock). A conflict answers 409 with the
    page again: the conflict table and the forms with the user's input, rebased on the current version so that a
    deliberate second save succeeds. After a save `success(results)` adds the message and the user goes to
    `success_url`. Errors stay on the forms (200) and nothing is saved.
    """
    forms = build(request.POST if request.method == "POST" else request.pending_data)
    status, conflict = 200, None
    if request.method == "POST" and all(form.is_valid() for form in forms):
        conflict_form, error, results = forms_save(forms, save)
        if error is not None:
            current = error.current
            subject, rows = describe(conflict_form, current)
            who = current.updated_by_name if current is not None else "een collega"
            conflict = Conflict(subject=subject, who=who, when=getattr(current, "updated_at", None), rows=rows)
            rebased = request.POST.copy()
            rebased[conflict_form.add_prefix(version_field)] = current.version if current is not None else 0
            forms, status = build(rebased), 409
        elif not any(form.errors for form in forms):
            success(results)
            return redirect(success_url)
    return render(request, template, {**context, "forms": forms, "form": forms[0], "conflict": conflict}, status=status)
