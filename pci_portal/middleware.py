from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class PortalLocaleMiddleware(LocaleMiddleware):
    """Vietnamese unless the person chose otherwise.

    Django's LocaleMiddleware follows the browser's Accept-Language, which would show
    English to an official whose Chrome happens to be English. Here only an explicit
    choice counts: the language switch (cookie) or the user's saved preference.
    """

    def process_request(self, request):
        languages = dict(settings.LANGUAGES)
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        user = getattr(request, "user", None)
        if language not in languages and user is not None and user.is_authenticated:
            language = user.language
        if language not in languages:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
