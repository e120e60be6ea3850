"""The project's OpenAPI schema class (settings REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]).

drf-spectacular's AutoSchema, plus what every versioned edit shares (core.versioning): on the
`versioned_actions` of a `VersionedAPIMixin` viewset the `If-Match` request header, the `ETag`
response header and the 409 (stale version) and 428 (no version sent) answers; on its detail read
the `ETag` header. Written once here, so a viewset that takes the mixin is documented without
annotations of its own.
"""

from drf_spectacular import openapi
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers


class VersionRequiredSerializer(serializers.Serializer):
    """428: the edit did not say which version it was based on; nothing was written."""

    detail = serializers.CharField()


class StaleVersionSerializer(serializers.Serializer):
    """409: the record moved past the version the edit was based on; nothing was written."""

    detail = serializers.CharField()
    version = serializers.IntegerField(help_text="The record's current version.")
    current = serializers.DictField(help_text="The record as it is now (as its detail read).")


IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description=(
        'The ETag of the record the edit is based on (e.g. "3", from its detail read). Send it, '
        "or a `version` field in the body: without either the edit answers 428; on a version "
        "that is no longer current, 409 with the current record."
    ),
)
ETAG = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="The record's current version, to send back as If-Match with its next edit.",
    response=[200, 409],
)


class AutoSchema(openapi.AutoSchema):
    def _versioned(self) -> tuple:
        return getattr(self.view, "versioned_actions", None) or ()

    def _action(self) -> str:
        # A plain APIView has no actions: its methods stand for them ("put").
        return getattr(self.view, "action", None) or self.method.lower()

    def _is_versioned_edit(self) -> bool:
        # An action may read and write (GET and PUT of a calendar's entries): only its writes.
        return self.method not in ("GET", "HEAD", "OPTIONS") and (
            self._action() in self._versioned()
        )

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        if self._is_versioned_edit():
            return [*parameters, IF_MATCH, ETAG]
        if self._versioned() and getattr(self.view, "action", None) == "retrieve":
            return [*parameters, ETAG]
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if self._is_versioned_edit():
            for code, body in (("409", StaleVersionSerializer), ("428", VersionRequiredSerializer)):
                responses.setdefault(code, self._get_response_for_code(body, code))
        return responses
