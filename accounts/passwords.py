"""Password rules with the portal's own Vietnamese messages (Django's catalogue reads awkwardly in places)."""

import re

from django.contrib.auth import password_validation as base
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class MinimumLengthValidator(base.MinimumLengthValidator):
    def get_error_message(self):
        return _("Mật khẩu quá ngắn: cần ít nhất %(min_length)d ký tự.") % {"min_length": self.min_length}

    def get_help_text(self):
        return _("Ít nhất %(min_length)d ký tự.") % {"min_length": self.min_length}


class UserAttributeSimilarityValidator(base.UserAttributeSimilarityValidator):
    DEFAULT_USER_ATTRIBUTES = ("username", "full_name", "email")

    def __init__(self, user_attributes=DEFAULT_USER_ATTRIBUTES, max_similarity=0.7):
        super().__init__(user_attributes, max_similarity)

    def get_error_message(self):
        return _("Mật khẩu quá giống %(verbose_name)s của đồng chí.")

    def get_help_text(self):
        return _("Không giống tên đăng nhập, họ tên hay e-mail.")


class CommonPasswordValidator(base.CommonPasswordValidator):
    def get_error_message(self):
        return _("Mật khẩu này quá phổ biến, dễ bị đoán ra.")

    def get_help_text(self):
        return _("Không phải mật khẩu phổ biến (như 12345678, password…).")


class LettersAndDigitsValidator:
    """Letters and digits both (a passphrase of words with a number in it passes)."""

    def validate(self, password, user=None):
        if not (re.search(r"[^\W\d_]", password) and re.search(r"\d", password)):
            raise ValidationError(_("Mật khẩu cần có cả chữ và chữ số."), code="password_letters_and_digits")

    def get_help_text(self):
        return _("Có cả chữ và chữ số.")
