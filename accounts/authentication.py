"""API token authentication (accounts.ApiToken): `Authorization: Token <key>`."""

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from accounts.models import ApiToken
from accounts.selectors import api_token_by_key

# How often the last use of a token is written: at most once a minute, not on every request.
LAST_USED_RESOLUTION = 60  # seconds


class ApiTokenAuthentication(BaseAuthentication):
    """Token auth with idle and absolute expiry (settings.API_TOKEN_IDLE_TIMEOUT and
    API_TOKEN_MAX_AGE). It answers in the user's chosen language, as the pages do (the language
    middleware runs before DRF knows who a token belongs to)."""

    keyword = "Token"

    def authenticate(self, request):
        auth = get_authorization_header(request).split()
        if not auth or auth[0].lower() != self.keyword.lower().encode():
            return None
        if len(auth) == 1:
            raise exceptions.AuthenticationFailed(
                _("Invalid token header. No credentials provided.")
            )
        if len(auth) > 2:
            raise exceptions.AuthenticationFailed(
                _("Invalid token header. Token string should not contain spaces.")
            )
        try:
            key = auth[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(
                _("Invalid token header. Token string should not contain invalid characters.")
            ) from None
        user, token = self.authenticate_credentials(key)
        if user.language:
            translation.activate(user.language)
            request._request.LANGUAGE_CODE = user.language
        return user, token

    def authenticate_credentials(self, key: str):
        token = api_token_by_key(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        now = timezone.now()
        if token.is_expired(now):
            token.delete()
            raise exceptions.AuthenticationFailed(_("The token has expired. Log in again."))
        if (now - token.last_used).total_seconds() >= LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used=now)
            token.last_used = now
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI schema describes ApiTokenAuthentication."""

    target_class = ApiTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix=ApiTokenAuthentication.keyword
        )
