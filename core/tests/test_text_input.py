"""Issue 20: text input refuses control characters in one place (core.validators) — model
fields, plain forms and plain serializers alike; multi-line fields keep line breaks and tabs."""

from datetime import date

import pytest
from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from rest_framework import serializers

from activity.models import WeeklyCheck
from core.validators import TextValidator, _is_project_app

MON = date(2025, 3, 3)


def test_every_text_field_of_the_projects_models_has_the_rule():
    checked = 0
    for model in apps.get_models():
        if not _is_project_app(model._meta.app_config):
            continue
        for field in model._meta.local_fields:
            if isinstance(field, models.CharField | models.TextField):
                rules = [v for v in field.validators if isinstance(v, TextValidator)]
                assert len(rules) == 1, (model, field.name)
                assert rules[0].multiline == isinstance(field, models.TextField)
                checked += 1
    assert checked > 100


def test_a_multi_line_model_field_keeps_line_breaks_and_tabs():
    measures = WeeklyCheck._meta.get_field("measures")
    measures.run_validators("第一条\r\n\t第二条")
    with pytest.raises(ValidationError, match="U\\+0001"):
        measures.run_validators("第一条\u0001")


def test_plain_form_fields_follow_their_widget():
    class Form(forms.Form):
        title = forms.CharField(label="Title")
        body = forms.CharField(widget=forms.Textarea)
        secret = forms.CharField(widget=forms.PasswordInput)

    form = Form({"title": "a\nb", "body": "a\n\tb", "secret": "p\u0001w"})
    assert not form.is_valid()
    assert list(form.errors) == ["title"] and "Title" in form.errors["title"][0]
    form = Form({"title": "a", "body": "a\u0007b", "secret": "x"})
    assert list(form.errors) == ["body"]


def test_plain_serializer_fields_refuse_control_characters_but_keep_line_breaks():
    class Input(serializers.Serializer):
        note = serializers.CharField(label="Note")
        password = serializers.CharField(style={"input_type": "password"})

    assert Input(data={"note": "a\n\tb", "password": "p\u0001"}).is_valid()
    refused = Input(data={"note": "a\u001bb", "password": "p"})
    assert not refused.is_valid()
    assert "Note" in str(refused.errors["note"][0])


def test_api_multi_line_text_keeps_its_line_breaks(world, api_client):
    api_client.force_authenticate(world.assistant)
    url = "/api/v1/activity/weekly-checks/"
    payload = {
        "department": world.dept_a1.pk,
        "week_start": MON,
        "measures": "加强陪访\n\t每日跟进",
    }
    assert api_client.post(url, payload, format="json").status_code == 200
    assert WeeklyCheck.objects.get().measures == "加强陪访\n\t每日跟进"
    payload["measures"], payload["version"] = "加强陪访\u0001", WeeklyCheck.objects.get().version
    response = api_client.post(url, payload, format="json")
    assert response.status_code == 400 and "控制字符" in response.json()["measures"][0]
    assert WeeklyCheck.objects.get().measures == "加强陪访\n\t每日跟进"
