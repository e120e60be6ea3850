"""REST API for units and ranks: the same services and scope as the pages."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.versioning import VersionedAPIMixin
from org import access
from org.access import Cap, get_unit_for_user
from org.api.history import HistoryRowSerializer, history_data
from org.models import Agent, Rank, Unit, UnitKind
from org.services import units as unit_services

# -- serializers -------------------------------------------------------------------------------


class UnitSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Unit
        fields = [
            "id",
            "kind",
            "kind_display",
            "name",
            "code",
            "parent",
            "district",
            "opened_on",
            "closed_on",
            "version",
        ]


class UnitCreateSerializer(serializers.Serializer):
    parent = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=UnitKind.choices)
    name = serializers.CharField(max_length=100)
    code = serializers.CharField(max_length=30)
    opened_on = serializers.DateField(required=False, allow_null=True)


class UnitRenameSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)


class UnitCloseSerializer(serializers.Serializer):
    closed_on = serializers.DateField(required=False, allow_null=True)


class RankSerializer(serializers.ModelSerializer):
    class Meta:
        model = Rank
        fields = ["id", "branch", "code", "name", "level", "is_manager_rank"]


# -- views -------------------------------------------------------------------------------------


class UnitViewSet(
    VersionedAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Organisation units visible to the user. Units are closed, never deleted.

    A rename carries the version it was based on (`If-Match` or `version`): 409 when stale."""

    serializer_class = UnitSerializer
    filterset_fields = ["kind", "parent"]

    def get_queryset(self):
        return Unit.objects.visible_to(self.request.user).order_by("path")

    def get_object(self):
        return get_unit_for_user(self.request.user, self.kwargs["pk"])

    @extend_schema(request=UnitCreateSerializer, responses={201: UnitSerializer})
    def create(self, request):
        data = UnitCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        parent = get_unit_for_user(request.user, values.pop("parent"), Cap.MANAGE_UNITS)
        unit = unit_services.unit_create(acting_user=request.user, parent=parent, **values)
        return Response(UnitSerializer(unit).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=UnitRenameSerializer, responses=UnitSerializer)
    def partial_update(self, request, pk=None):
        unit = get_unit_for_user(request.user, pk, Cap.MANAGE_UNITS)
        version = self.base_version(request)
        data = UnitRenameSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        unit = unit_services.unit_rename(
            acting_user=request.user, unit=unit, base_version=version, **data.validated_data
        )
        return Response(UnitSerializer(unit).data)

    @extend_schema(request=UnitCloseSerializer, responses=UnitSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        unit = get_unit_for_user(request.user, pk, Cap.MANAGE_UNITS)
        data = UnitCloseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        unit = unit_services.unit_close(
            acting_user=request.user, unit=unit, closed_on=data.validated_data.get("closed_on")
        )
        return Response(UnitSerializer(unit).data)

    @extend_schema(responses=HistoryRowSerializer(many=True))
    @action(detail=True, methods=["get"])
    def history(self, request, pk=None):
        return Response(history_data(self.get_object()))


class RankViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = RankSerializer
    pagination_class = None

    def get_queryset(self):
        branch_ids = access.branch_ids(self.request.user, Cap.VIEW_ORG)
        if branch_ids is None:
            return Rank.objects.order_by("branch", "level")
        agent_id = access.own_agent_id(self.request.user)
        if agent_id:
            branch_ids.add(Agent.objects.get(pk=agent_id).rank.branch_id)
        return Rank.objects.filter(branch__in=branch_ids).order_by("branch", "level")
