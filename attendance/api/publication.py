"""Publication API: the published deduction and fund usage pages."""

from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from attendance.selectors import publication as reads

# -- publications --------------------------------------------------------------------------------


class PublicationLineSerializer(serializers.Serializer):
    agent_name = serializers.CharField(source="agent.name")
    department = serializers.IntegerField(source="department_id")
    late = serializers.IntegerField()
    leave_reported = serializers.DecimalField(max_digits=5, decimal_places=1)
    leave_unreported = serializers.DecimalField(max_digits=5, decimal_places=1)
    absent = serializers.DecimalField(max_digits=5, decimal_places=1)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)


class PublicationUsageSerializer(serializers.Serializer):
    date = serializers.DateField()
    purpose = serializers.CharField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    department = serializers.IntegerField(source="department_id", allow_null=True)
    approver = serializers.CharField(source="approved_by", allow_null=True)


class PublicationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    unit = serializers.IntegerField(source="unit_id")
    unit_name = serializers.CharField(source="unit.name")
    month = serializers.DateField(format="%Y-%m")
    published_at = serializers.DateTimeField()


class PublicationDetailSerializer(PublicationSerializer):
    total = serializers.DecimalField(max_digits=12, decimal_places=2, source="page.total")
    usage_total = serializers.DecimalField(
        max_digits=12, decimal_places=2, source="page.usage_total"
    )
    balance = serializers.DecimalField(max_digits=12, decimal_places=2, source="page.balance")
    lines = PublicationLineSerializer(many=True, source="page.lines")
    usage = PublicationUsageSerializer(many=True, source="page.usage")


class PublicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Published pages (公布扣款使用明细) of the user's units: deductions per agent, fund usage,
    balance."""

    serializer_class = PublicationSerializer

    def get_queryset(self):
        return reads.visible_publications(self.request.user).order_by("-month", "unit__path")

    def get_serializer_class(self):
        return PublicationDetailSerializer if self.action == "retrieve" else PublicationSerializer

    def retrieve(self, request, pk=None):
        publication = self.get_queryset().filter(pk=pk).first() if str(pk).isdigit() else None
        if publication is None:
            raise NotFound
        publication.page = reads.publication_page(publication.unit, publication.month)
        return Response(PublicationDetailSerializer(publication).data)
