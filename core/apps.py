from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
    verbose_name = _("Shared")

    def ready(self):
        from django import forms
        from rest_framework import serializers

        from core import params, usercache

        usercache.connect()
        # Every date field of a form or a serializer refuses a year outside the sane range, and
        # every integer field a value no database integer holds (ids in bodies, pk__in lists).
        for field_class, validator in (
            (forms.DateField, params.validate_date_range),
            (serializers.DateField, params.validate_date_range),
            (forms.IntegerField, params.validate_db_integer),
            (serializers.IntegerField, params.validate_db_integer),
        ):
            if validator not in field_class.default_validators:
                field_class.default_validators = [*field_class.default_validators, validator]
