"""活动量工具: tool movements and stock."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from activity.models import (
    ToolMovement,
)
from activity.selectors.tools import can_manage, movements_for, stock
from activity.services.tools import tool_record
from core.params import int_param
from org.models import Unit, UnitKind


class ToolMovementSerializer(serializers.ModelSerializer):
    kind_name = serializers.CharField(source="kind", read_only=True)
    department_name = serializers.CharField(source="department", read_only=True, default=None)
    recorded_by_name = serializers.CharField(source="recorded_by", read_only=True)

    class Meta:
        model = ToolMovement
        fields = [
            "id",
            "district",
            "kind",
            "kind_name",
            "direction",
            "quantity",
            "department",
            "department_name",
            "date",
            "note",
            "recorded_by",
            "recorded_by_name",
            "created_at",
        ]
        read_only_fields = ["recorded_by", "created_at"]


class ToolStockSerializer(serializers.Serializer):
    kind = serializers.IntegerField(source="kind.pk")
    kind_name = serializers.CharField(source="kind")
    received = serializers.IntegerField()
    issued = serializers.IntegerField()
    stock = serializers.IntegerField()


@extend_schema(
    parameters=[
        OpenApiParameter("district", int),
        OpenApiParameter("department", int),
        OpenApiParameter("kind", int),
        OpenApiParameter("direction", str, description="in, out"),
    ]
)
class ToolMovementViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Tools received by the district and issued to departments; a department reads its issues.
    Recording an issue beyond the stock is refused (400)."""

    serializer_class = ToolMovementSerializer
    queryset = ToolMovement.objects.none()

    def get_queryset(self):
        movements = movements_for(self.request.user).select_related(
            "kind", "department", "recorded_by"
        )
        params = self.request.query_params
        for name in ("district", "department", "kind"):
            if (value := int_param(params, name)) is not None:
                movements = movements.filter(**{f"{name}_id": value})
        if params.get("direction"):
            movements = movements.filter(direction=params["direction"])
        return movements.order_by("-date", "-pk")

    def create(self, request, *args, **kwargs):
        data = ToolMovementSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        movement = tool_record(
            acting_user=request.user,
            district=values["district"],
            kind=values["kind"],
            direction=values["direction"],
            quantity=values["quantity"],
            day=values["date"],
            department=values.get("department"),
            note=values.get("note", ""),
        )
        return Response(ToolMovementSerializer(movement).data, status=201)


class ToolStockView(APIView):
    """Received, issued and in stock per kind of tool for a district the caller manages."""

    @extend_schema(
        parameters=[OpenApiParameter("district", int, required=True)],
        responses=ToolStockSerializer(many=True),
    )
    def get(self, request):
        district = get_object_or_404(
            Unit,
            pk=int_param(request.query_params, "district", required=True),
            kind=UnitKind.DISTRICT,
        )
        if not can_manage(request.user, district):
            raise NotFound
        return Response(ToolStockSerializer(stock(district), many=True).data)
