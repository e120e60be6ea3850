"""Personal data stored protected (spec §1): encrypted columns and keyed hashes for exact search.

A model declares a protected field and its search hash in two lines, and takes the two mixins
that keep the hash in step on every write path (save with update_fields, QuerySet.update,
bulk_update; save and bulk_create go through the hash field's pre_save):

    class Person(ProtectedFieldsMixin, models.Model):
        mobile = ProtectedCharField(_("mobile"), max_length=11)
        mobile_hash = SearchHashField("mobile", normalize=normalize_phone)

        objects = ProtectedQuerySet.as_manager()

    Person.objects.matching(mobile="138 1234 5678")       # exact match through the hash
    Person.objects.filter(protected_q(Person, mobile=v))  # the same as a Q, to combine

The encryption is django-fernet-encrypted-fields' (Fernet: AES-128-CBC + HMAC-SHA256). Its keys
are derived from SECRET_KEY; here they come from settings.FIELD_ENCRYPTION_KEYS instead
(core/field_keys.py), so rotating SECRET_KEY never makes personal data unreadable. Decryption of a
stored value is strict: a value no key opens raises instead of passing the cipher text on (a
re-save would otherwise encrypt it twice). A protected field cannot be filtered on (the cipher
text is randomised): lookups other than isnull raise FieldError; use the hash.

History tables (django-simple-history) copy the field class, so their copies are encrypted too.
"""

import hashlib
import hmac
import re
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.apps import apps
from django.conf import settings
from django.core import checks
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import models
from django.db.models import Q
from django.views.debug import SafeExceptionReporterFilter
from encrypted_fields.fields import EncryptedCharField, EncryptedFieldMixin

# -- normalising values before hashing -----------------------------------------------------------


def normalize_compact(value: str) -> str:
    """Strip every space; upper-case (an ID number's check character x → X)."""
    return re.sub(r"\s", "", value).upper()


def normalize_phone(value: str) -> str:
    """Strip spaces and dashes and a +86 / 0086 country prefix."""
    text = re.sub(r"[\s\-()]", "", value)
    for prefix in ("+86", "0086"):
        if text.startswith(prefix):
            text = text[len(prefix) :]
    return text


# -- keys ----------------------------------------------------------------------------------------


@lru_cache(maxsize=8)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def fernet() -> MultiFernet:
    """Encrypts with the first configured key, decrypts with any of them."""
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt_value(value: str) -> str:
    return fernet().encrypt(value.encode()).decode()


def decrypt_value(token: str) -> str:
    """The clear value; InvalidToken if no configured key opens it."""
    return fernet().decrypt(token.encode()).decode()


def search_hash(value, normalize=normalize_compact) -> str:
    """HMAC-SHA256 (settings.FIELD_HASH_KEY) of the normalised value, hex; '' for no value."""
    if value is None:
        return ""
    text = normalize(str(value)) if normalize else str(value)
    if not text:
        return ""
    key = settings.FIELD_HASH_KEY.encode()
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


# -- fields --------------------------------------------------------------------------------------


class ProtectedFieldMixin:
    """Over the library's EncryptedFieldMixin: our keys, strict decryption, no lookups."""

    protected = True

    @property
    def f(self):  # the library's cipher, from FIELD_ENCRYPTION_KEYS (not SECRET_KEY)
        return fernet()

    def get_prep_value(self, value):
        value = super(EncryptedFieldMixin, self).get_prep_value(value)
        if value is None or value == "":
            return None if self.null else ""
        return encrypt_value(str(value))

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        try:
            return decrypt_value(value)
        except InvalidToken:
            raise ImproperlyConfigured(
                f"{self.model._meta.label}.{self.name}: a stored value cannot be decrypted with "
                "the keys in DJANGO_FIELD_ENCRYPTION_KEYS (a key is missing or wrong)."
            ) from None

    def to_python(self, value):
        # Values in Python are always clear; only from_db_value decrypts.
        return super(EncryptedFieldMixin, self).to_python(value)

    def get_lookup(self, lookup_name):
        if lookup_name != "isnull":
            raise FieldError(
                f"{self.model._meta.label}.{self.name} is stored encrypted and cannot be "
                f"filtered with '{lookup_name}'; filter on its SearchHashField (matching())."
            )
        return super().get_lookup(lookup_name)


class ProtectedCharField(ProtectedFieldMixin, EncryptedCharField):
    """A CharField stored encrypted (a text column); max_length still limits the clear value."""


class SearchHashField(models.CharField):
    """The keyed hash of a protected field, for exact-match search; filled on every save."""

    def __init__(self, source, *args, normalize=normalize_compact, **kwargs):
        self.source = source
        self.normalize = normalize
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("db_index", True)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        kwargs["editable"] = False
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("editable", None)
        for key, value in (("max_length", 64), ("db_index", True), ("blank", True)):
            if kwargs.get(key) == value:
                kwargs.pop(key)
        if kwargs.get("default") == "":
            kwargs.pop("default")
        if self.normalize is not normalize_compact:
            kwargs["normalize"] = self.normalize
        return name, path, [self.source, *args], kwargs

    def hash(self, value) -> str:
        return search_hash(value, self.normalize)

    def pre_save(self, model_instance, add):
        value = self.hash(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value


def hash_fields(model) -> list[SearchHashField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, SearchHashField)]


def protected_fields(model) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if getattr(f, "protected", False)]


def _hash_field_for(model, source: str) -> SearchHashField:
    for field in hash_fields(model):
        if field.source == source:
            return field
    raise FieldError(f"{model._meta.label}.{source} has no SearchHashField.")


def protected_q(model, **values) -> Q:
    """Q for an exact match of protected fields, e.g. protected_q(Agent, mobile='138…')."""
    lookups = {}
    for source, value in values.items():
        field = _hash_field_for(model, source)
        digest = field.hash(value)
        if not digest:
            return Q(pk__in=[])
        lookups[field.attname] = digest
    return Q(**lookups)


# -- keeping the hashes in step on every write path ----------------------------------------------


class ProtectedQuerySet(models.QuerySet):
    def matching(self, **values):
        """Rows whose protected fields equal the values exactly (compared through the hash)."""
        return self.filter(protected_q(self.model, **values))

    def update(self, **kwargs):
        for field in hash_fields(self.model):
            if field.source in kwargs and field.name not in kwargs:
                value = kwargs[field.source]
                if hasattr(value, "resolve_expression"):
                    raise FieldError(f"{field.source} is protected: update it with a value.")
                kwargs[field.name] = field.hash(value)
        return super().update(**kwargs)

    update.alters_data = True

    def bulk_update(self, objs, fields, batch_size=None):
        objs, fields = list(objs), list(fields)
        for field in hash_fields(self.model):
            if field.source in fields:
                for obj in objs:
                    setattr(obj, field.attname, field.hash(getattr(obj, field.source)))
                if field.name not in fields:
                    fields.append(field.name)
        return super().bulk_update(objs, fields, batch_size=batch_size)

    bulk_update.alters_data = True


class ProtectedFieldsMixin:
    """Model mixin: save(update_fields=[...]) of a protected field also writes its hash."""

    def save(self, *args, update_fields=None, **kwargs):
        if update_fields is not None:
            update_fields = list(update_fields)
            for field in hash_fields(type(self)):
                if field.source in update_fields and field.name not in update_fields:
                    update_fields.append(field.name)
        return super().save(*args, update_fields=update_fields, **kwargs)


@checks.register(checks.Tags.models)
def check_protected_models(app_configs=None, **kwargs):
    """A model with a search hash uses both mixins, and the hash's source is a protected field."""
    return protected_model_errors(apps.get_models())


def protected_model_errors(models_to_check) -> list:
    errors = []
    for model in models_to_check:
        fields = hash_fields(model)
        if not fields or hasattr(model, "instance_type"):  # simple-history's copies: no writes
            continue
        label = model._meta.label
        for field in fields:
            try:
                source = model._meta.get_field(field.source)
            except Exception:  # noqa: BLE001
                source = None
            if not getattr(source, "protected", False):
                errors.append(
                    checks.Error(
                        f"{label}.{field.name}: source {field.source!r} is not a protected field.",
                        id="core.E101",
                    )
                )
        if not issubclass(model, ProtectedFieldsMixin):
            errors.append(
                checks.Error(
                    f"{label} has search hashes but not ProtectedFieldsMixin.", id="core.E102"
                )
            )
        if not isinstance(model._default_manager.all(), ProtectedQuerySet):
            errors.append(
                checks.Error(
                    f"{label}'s default manager does not use ProtectedQuerySet.", id="core.E103"
                )
            )
    return errors


# -- data migrations -----------------------------------------------------------------------------


def encrypt_columns(schema_editor, model, fields: dict[str, str | None], reverse=False):
    """Encrypt a table's clear values in place and fill their hashes (raw SQL, idempotent).

    `fields` maps a protected column to its hash column (or None). With `reverse`, decrypt back
    and blank the hashes (for migrating backwards). Used by the migrations that protect fields,
    for the model and its history table alike; rows already encrypted are left as they are.
    """
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    columns = list(fields)
    hashed = {c: h for c, h in fields.items() if h}
    normalizers = {
        c: getattr(model._meta.get_field(h), "normalize", normalize_compact)
        for c, h in hashed.items()
    }
    sets = [f"{quote(c)} = %s" for c in columns] + [f"{quote(h)} = %s" for h in hashed.values()]
    update_sql = f"UPDATE {table} SET {', '.join(sets)} WHERE {pk} = %s"  # noqa: S608
    select_sql = f"SELECT {pk}, {', '.join(quote(c) for c in columns)} FROM {table}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(select_sql)
        rows = cursor.fetchall()
    updates = []
    for pk_value, *values in rows:
        clear = [_clear(value) for value in values]
        if reverse:
            stored = clear
            hashes = ["" for _ in hashed]
        else:
            stored = [encrypt_value(v) if v else v for v in clear]
            hashes = [search_hash(clear[columns.index(c)], normalizers[c]) for c in hashed]
        updates.append([*stored, *hashes, pk_value])
    with connection.cursor() as cursor:
        for start in range(0, len(updates), 500):
            cursor.executemany(update_sql, updates[start : start + 500])


def _clear(value):
    if not value:
        return value
    try:
        return decrypt_value(value)
    except InvalidToken:
        return value  # not encrypted yet


# -- error reports -------------------------------------------------------------------------------


class PersonalDataReporterFilter(SafeExceptionReporterFilter):
    """Error reports (DEBUG off: e-mails to ADMINS; logs) never show personal data.

    Besides Django's secrets, variables and POST fields named like personal data (ID number,
    mobile, phone, contact) are replaced by stars, also inside dicts.
    """

    hidden_settings = re.compile(
        "API|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE|ID_NUMBER|MOBILE|PHONE|CONTACT",
        flags=re.IGNORECASE,
    )

    def get_post_parameters(self, request):
        params = super().get_post_parameters(request)
        if request is None or not params:
            return params
        cleansed = params.copy()
        for key in cleansed:
            if self.hidden_settings.search(key):
                cleansed[key] = self.cleansed_substitute
        return cleansed

    def get_traceback_frame_variables(self, request, tb_frame):
        variables = super().get_traceback_frame_variables(request, tb_frame)
        return [(name, self.cleanse_setting(name, value)) for name, value in variables]
