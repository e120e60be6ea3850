"""API login and the user's own API tokens: POST /api/v1/auth/token/ (log in, get a token),
GET /api/v1/auth/tokens/ (my tokens), DELETE /api/v1/auth/tokens/{id}/ (revoke one of mine)."""

from django.contrib.auth import authenticate, user_logged_in
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import selectors, services
from accounts.models import ApiToken


class TokenLoginSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False)
    label = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        help_text="A name for this token (the device or script); defaults to the User-Agent.",
    )


class TokenIssuedSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send as `Authorization: Token <token>`.")
    id = serializers.IntegerField()
    expires = serializers.DateTimeField(
        help_text="When the token expires unless it is used before (idle timeout)."
    )


class ApiTokenSerializer(serializers.ModelSerializer):
    expires = serializers.DateTimeField(read_only=True)
    current = serializers.SerializerMethodField()

    class Meta:
        model = ApiToken
        fields = ["id", "label", "created", "last_used", "expires", "current"]

    def get_current(self, token) -> bool:
        """Whether this request was authenticated with this token."""
        auth = self.context["request"].auth
        return isinstance(auth, ApiToken) and auth.pk == token.pk


class TokenLoginView(APIView):
    """Log in with a username and password and get a new API token. Too many failed attempts
    lock the username out for a while: 429 with Retry-After (seconds)."""

    authentication_classes = []
    permission_classes = [AllowAny]
    serializer_class = TokenLoginSerializer

    @extend_schema(
        request=TokenLoginSerializer,
        responses={
            200: TokenIssuedSerializer,
            400: OpenApiResponse(description="Wrong username or password."),
            429: OpenApiResponse(description="Locked out; see the Retry-After header."),
        },
        auth=[],
    )
    def post(self, request):
        data = TokenLoginSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        username = data.validated_data["username"]
        user = authenticate(
            request=request, username=username, password=data.validated_data["password"]
        )
        if getattr(request, "axes_locked_out", False):
            raise exceptions.Throttled(
                wait=selectors.login_lockout_retry_after(request, username),
                detail=_("Too many failed login attempts: this account is locked for a while."),
            )
        if user is None:
            raise serializers.ValidationError(
                {"non_field_errors": [_("Unable to log in with provided credentials.")]}
            )
        label = data.validated_data.get("label") or request.META.get("HTTP_USER_AGENT", "")
        token, key = services.api_token_create(user=user, label=label)
        # As a page login does: last login, and django-axes forgets the failed attempts.
        user_logged_in.send(sender=user.__class__, request=request, user=user)
        return Response({"token": key, "id": token.pk, "expires": token.expires})


class ApiTokenViewSet(mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """The requesting user's own API tokens (never another user's: those answer 404)."""

    serializer_class = ApiTokenSerializer
    queryset = ApiToken.objects.none()  # for the schema; rows come from get_queryset

    def get_queryset(self):
        return selectors.api_tokens_of(self.request.user)

    def get_object(self):
        return selectors.api_token_of_user(user=self.request.user, pk=int(self.kwargs["pk"]))

    def perform_destroy(self, instance):
        services.api_token_revoke(acting_user=self.request.user, token=instance)
