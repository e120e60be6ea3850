from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import selectors, services
from accounts.forms import PreferencesForm


@login_required
def preferences(request):
    form = PreferencesForm(request.POST or None, initial={"language": request.user.language})
    if request.method == "POST" and form.is_valid():
        services.user_set_language(user=request.user, language=form.cleaned_data["language"])
        messages.success(request, _("Preferences saved."))
        return redirect("accounts:preferences")
    tokens = selectors.api_tokens_of(request.user)
    return render(request, "accounts/preferences.html", {"form": form, "api_tokens": tokens})


@login_required
@require_POST
def api_token_revoke(request, pk):
    token = selectors.api_token_of_user(user=request.user, pk=pk)
    services.api_token_revoke(acting_user=request.user, token=token)
    messages.success(request, _("The API token was revoked."))
    return redirect("accounts:preferences")
