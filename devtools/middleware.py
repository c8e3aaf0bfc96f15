from django.db import connections


class QueryCountMiddleware:
    """Adds X-Query-Count (SQL queries run for the request), for bench/pages.py.

    Settings put it first in MIDDLEWARE only when QUERY_COUNT_HEADER is on.
    """

    def __init__(self, get_response):
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
