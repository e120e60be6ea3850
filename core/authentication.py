from django.utils import translation
from rest_framework.authentication import TokenAuthentication


class LanguageTokenAuthentication(TokenAuthentication):
    """Token auth that answers in the user's chosen language, as the pages do (the language
    middleware runs before DRF knows who a token belongs to)."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            user = result[0]
            if user.language:
                translation.activate(user.language)
                request._request.LANGUAGE_CODE = user.language
        return result
