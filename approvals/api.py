"""API of the approval flow: what waits for me, bulk decisions (any module's requests), and the
body every module's approve/return endpoint reads (the step the client saw is required)."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from approvals import services as approvals
from approvals.models import Decision
from approvals.registry import kind_label
from approvals.selectors import waiting_for


class ApprovalDecisionSerializer(serializers.Serializer):
    """The body of an approve endpoint: the step the client saw is required (400 without it);
    a request that has moved on since answers 409 with its current state and step."""

    step = serializers.IntegerField(
        min_value=1,
        max_value=1000,
        help_text="The step the client saw (required); a request that has moved on since "
        "answers 409 with its current state and step.",
    )
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ApprovalReturnSerializer(ApprovalDecisionSerializer):
    comment = serializers.CharField(help_text="Why it is returned (required).")


def decision_data(request, decision: str, subject) -> dict:
    """The validated body of an approve (or return) request on `subject`: {"step": …,
    "comment": …}. A user who approves no level of the subject's approval is refused (403)
    before the body is read, so the answer reveals nothing of the request's state. A subject
    never submitted has no approvers yet: the flow answers that it is not waiting (409)."""
    approval = approvals.request_for(subject)
    if approval is not None:
        approvals.check_decider(request.user, approval)
    serializer = (
        ApprovalReturnSerializer if decision == Decision.RETURN else ApprovalDecisionSerializer
    )
    data = serializer(data=request.data)
    data.is_valid(raise_exception=True)
    return data.validated_data


class WaitingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    title = serializers.CharField()
    url = serializers.CharField()
    step = serializers.IntegerField()
    total_steps = serializers.IntegerField()
    submitted_by = serializers.CharField(allow_null=True)
    submitted_at = serializers.DateTimeField(allow_null=True)


class WaitingView(APIView):
    """Approval requests whose current step waits for the signed-in user, newest first."""

    @extend_schema(responses=WaitingSerializer(many=True))
    def get(self, request):
        rows = [
            {
                "id": r.pk,
                "kind": r.kind,
                "kind_label": str(kind_label(r.kind)),
                "title": r.title,
                "url": r.url,
                "step": r.step,
                "total_steps": r.total_steps,
                "submitted_by": str(r.submitted_by) if r.submitted_by else None,
                "submitted_at": r.submitted_at,
            }
            for r in waiting_for(request.user)[:500]
        ]
        return Response(WaitingSerializer(rows, many=True).data)


class ApprovalBulkDecisionSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(),
        min_length=1,
        max_length=200,
        help_text="Approval request ids.",
    )
    steps = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=1000),
        min_length=1,
        max_length=200,
        help_text="The step the client saw of each request, in the order of ids (required): "
        "a request that has moved on since is refused with its current step.",
    )
    action = serializers.ChoiceField(choices=Decision.choices)
    comment = serializers.CharField(required=False, allow_blank=True, default="")

    def validate(self, attrs):
        if len(attrs["steps"]) != len(attrs["ids"]):
            raise serializers.ValidationError({"steps": _("Give one step for each id.")})
        return attrs


class ApprovalBulkResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    ok = serializers.BooleanField()
    message = serializers.CharField()
    state = serializers.CharField(allow_null=True)


class ApprovalBulkView(APIView):
    """Approve or return several approval requests (of any module) at once; each is checked
    and recorded on its own, and one refusal does not undo the others."""

    @extend_schema(
        request=ApprovalBulkDecisionSerializer, responses=ApprovalBulkResultSerializer(many=True)
    )
    def post(self, request):
        data = ApprovalBulkDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        steps = dict(zip(data.validated_data["ids"], data.validated_data["steps"], strict=True))
        ids = list(steps)
        results = approvals.approval_bulk(
            acting_user=request.user,
            items=list(steps.items()),
            decision=data.validated_data["action"],
            comment=data.validated_data["comment"],
        )
        rows = [
            {"id": pk, "ok": ok, "message": str(message), "state": item.state if ok else None}
            for pk, (item, ok, message) in zip(ids, results, strict=True)
        ]
        return Response(ApprovalBulkResultSerializer(rows, many=True).data)
