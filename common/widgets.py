"""Form widgets shared by the pages."""

from __future__ import annotations

from contextlib import suppress
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse

# A choice among more rows than this is searched on the server rather than sent in the page: a head
# of a department with 10,000 accounts got every one of them as an <option> (500 KB per page).
CHOICES_IN_PAGE = 300


class SearchedSelect(forms.Select):
    """A model choice that lists every row when they are few (CHOICES_IN_PAGE or fewer) and
    otherwise only the chosen one, the browser searching the rest at `url_name` as the user types
    (static/js/kam.js, `data-choices-url`: JSON {"results": [{"id", "text"}]}). One query either way:
    the first CHOICES_IN_PAGE + 1 rows; the chosen row is read again (by the field) only when it is
    not among them."""

    def __init__(self, url_name: str, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.url_name = url_name

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        iterator: Any = self.choices
        queryset = getattr(iterator, "queryset", None)
        if queryset is None:  # not a model choice
            return super().get_context(name, value, attrs)
        rows = list(queryset[: CHOICES_IN_PAGE + 1])
        searched = len(rows) > CHOICES_IN_PAGE
        if searched:
            chosen = {item for item in self.format_value(value) if item}
            rows = [row for row in rows if str(row.pk) in chosen]
            for key in chosen - {str(row.pk) for row in rows}:  # parsed as the field parses it
                with suppress(ValidationError):  # not an id, or not one of the rows: nothing to show
                    rows.append(iterator.field.to_python(key))
        empty = [("", iterator.field.empty_label)] if iterator.field.empty_label is not None else []
        self.choices = [*empty, *(iterator.choice(row) for row in rows)]
        try:
            context = super().get_context(name, value, attrs)
        finally:
            self.choices = iterator  # rendered again, the widget reads its rows again
        if searched:
            context["widget"]["attrs"]["data-choices-url"] = reverse(self.url_name)
        return context
