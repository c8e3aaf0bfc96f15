from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import connections


class QueryCountMiddleware:
    """Adds X-Query-Count (SQL queries run for the request) when settings.QUERY_COUNT_HEADER is on.

    For bench/pages.py; off by default, in which case Django drops it at start-up and it costs nothing.
    """

    def __init__(self, get_response):
        if not getattr(settings, "QUERY_COUNT_HEADER", False):
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        wrappers = [conn.execute_wrapper(counter) for conn in connections.all()]
        for w in wrappers:
            w.__enter__()
        try:
            response = self.get_response(request)
        finally:
            for w in reversed(wrappers):
                w.__exit__(None, None, None)
        response["X-Query-Count"] = str(count)
        return response
