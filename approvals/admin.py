from django import forms
from django.contrib import admin

from approvals import registry
from approvals.models import ApprovalChain, ApprovalLevel


class ApprovalLevelInline(admin.TabularInline):
    model = ApprovalLevel
    extra = 1


class ApprovalChainForm(forms.ModelForm):
    kind = forms.ChoiceField(choices=())

    class Meta:
        model = ApprovalChain
        fields = ["kind", "unit"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = registry.kind_choices()
        self.fields["kind"].label = ApprovalChain._meta.get_field("kind").verbose_name


@admin.register(ApprovalChain)
class ApprovalChainAdmin(admin.ModelAdmin):
    """Administrators configure who approves what, per kind and unit (§9)."""

    form = ApprovalChainForm
    inlines = [ApprovalLevelInline]
    list_display = ["__str__"]
    raw_id_fields = ["unit"]
