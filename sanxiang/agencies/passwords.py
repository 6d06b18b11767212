"""Password rules of staff accounts that Django's own validators do not say in Chinese."""

from django.contrib.auth import password_validation
from django.utils.translation import gettext as _


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's minimum length, with its message in Chinese.

    Django 5.2 rewrote this message's English text ("%d" for "%(min_length)d") and its zh-hans catalogue still
    translates only the old text, so the page and the API would show the English sentence.
    """

    def get_error_message(self):
        return _("密码太短，至少需要 %(min_length)d 个字符。") % {"min_length": self.min_length}
