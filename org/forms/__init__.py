"""Forms of org, one module per part: `units`, `agents`, `users` (staff users and roles),
`filters` (the agent list filters). The date widget below is shared by other apps' forms."""

from django import forms


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):  # noqa: A002 - Django's own name
        super().__init__(attrs=attrs, format=format)
