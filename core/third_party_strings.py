"""Texts of third-party packages that ship no Simplified Chinese catalogue but show in the admin
site. Listing them here puts them in our own catalogue (locale/), which takes precedence."""

from django.utils.translation import gettext_noop as _

STRINGS = [
    # django-axes (login lockout records)
    _("Axes"),
    _("access failure"),
    _("access failures"),
    _("access attempt"),
    _("access attempts"),
    _("Access Attempt"),
    _("access attempt expiration"),
    _("access attempt expirations"),
    _("access log"),
    _("access logs"),
    _("User Agent"),
    _("IP Address"),
    _("Username"),
    _("HTTP Accept"),
    _("Path"),
    _("Attempt Time"),
    _("Logout Time"),
    _("Failed Logins"),
    _("GET Data"),
    _("POST Data"),
    _("Form Data"),
    _("Meta Data"),
    _("Locked Out"),
    _("Attempt Remaining"),
    _("Not set"),
    _("Clean up expired attempts"),
    # django-filter
    _("%s (descending)"),
    # DRF token auth
    _("Auth Token"),
    _("Token"),
    _("Tokens"),
]
