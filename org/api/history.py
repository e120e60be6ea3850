"""The change history of a record (core.history) as API data."""

from rest_framework import serializers

from core.history import history_rows


class HistoryRowSerializer(serializers.Serializer):
    when = serializers.DateTimeField()
    who = serializers.CharField(allow_null=True)
    action = serializers.CharField()
    reason = serializers.CharField()
    changes = serializers.ListField(child=serializers.DictField())


def history_data(instance):
    return HistoryRowSerializer(
        [
            {
                **row,
                "who": str(row["who"]) if row["who"] else None,
                "changes": [{k: str(v) for k, v in c.items()} for c in row["changes"]],
            }
            for row in history_rows(instance)
        ],
        many=True,
    ).data
