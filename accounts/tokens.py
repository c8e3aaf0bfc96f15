"""One-time links: password reset (Django's generator) and invitations (a generator of their own, longer-lived).

Both are one-time by construction: the token hashes the password and the last login, so setting a password or
logging in spends it.
"""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator, default_token_generator
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "accounts.tokens.InvitationTokenGenerator"

    def check_token(self, user, token):
        # Django's check against PASSWORD_RESET_TIMEOUT, with INVITATION_TIMEOUT instead.
        if not (user and token):
            return False
        try:
            ts_b36, _hash = token.split("-")
            ts = base36_to_int(ts_b36)
        except ValueError:
            return False
        for secret in [self.secret, *self.secret_fallbacks]:
            if constant_time_compare(self._make_token_with_timestamp(user, ts, secret), token):
                break
        else:
            return False
        return (self._num_seconds(self._now()) - ts) <= settings.INVITATION_TIMEOUT


invitation_token_generator = InvitationTokenGenerator()
reset_token_generator = default_token_generator


def uid_of(user):
    return urlsafe_base64_encode(force_bytes(user.pk))
