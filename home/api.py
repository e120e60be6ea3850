from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.todo import tasks_for

TaskSerializer = inline_serializer(
    "Task",
    {
        "module": serializers.CharField(),
        "title": serializers.CharField(),
        "url": serializers.CharField(),
        "what": serializers.CharField(),
        "since": serializers.DateTimeField(allow_null=True),
        "approval_id": serializers.IntegerField(allow_null=True),
        "approval_step": serializers.IntegerField(
            allow_null=True, help_text="The step to send back with a bulk decision."
        ),
    },
)


class TasksView(APIView):
    """Everything waiting for the signed-in user, across modules (待办)."""

    @extend_schema(responses=TaskSerializer)
    def get(self, request):
        return Response(
            [
                {
                    "module": t.module,
                    "title": t.title,
                    "url": t.url,
                    "what": t.what,
                    "since": t.since,
                    "approval_id": t.approval_id,
                    "approval_step": t.extra.get("step") if t.approval_id else None,
                }
                for t in tasks_for(request.user)
            ]
        )
