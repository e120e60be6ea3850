"""API tokens stop working when the credentials behind them do: a password change (the user's own
page, the API, the admin's reset, `manage.py changepassword`), deactivation, or a login lockout.

These are signal receivers because the password is changed in several places Django owns (its
password views and admin forms call `set_password()` then `save()`); one receiver on the user
model covers them all, so no path can forget."""

from axes.signals import user_locked_out
from django.db.models.signals import post_save
from django.dispatch import receiver

from accounts.models import User
from accounts.services import api_tokens_revoke_all


@receiver(post_save, sender=User, dispatch_uid="accounts.revoke_tokens_on_credentials")
def revoke_tokens_on_credentials(sender, instance, created, raw=False, **kwargs):
    if created or raw:
        return
    # set_password() keeps the new raw password in _password until save() has run.
    password_changed = getattr(instance, "_password", None) is not None
    if password_changed or not instance.is_active or not instance.has_usable_password():
        api_tokens_revoke_all(user=instance)


@receiver(user_locked_out, dispatch_uid="accounts.revoke_tokens_on_lockout")
def revoke_tokens_on_lockout(sender, request=None, username=None, **kwargs):
    if username:
        for user in User.objects.filter(username=username):
            api_tokens_revoke_all(user=user)
