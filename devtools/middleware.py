import json
import os
import time
from pathlib import Path

from django.conf import settings
from django.db import connections


class QueryCountMiddleware:
    """Adds X-Query-Count (SQL statements run for the request) and X-CPU-ms (CPU time of the process while
    the request ran), for bench/pages.py.

    Settings put it first in MIDDLEWARE only when QUERY_COUNT_HEADER is on. With QUERY_LOG_DIR set too, a
    request that carries `X-Query-Log: 1` has its statements (parameters bound, as PostgreSQL received them)
    written to `QUERY_LOG_DIR/<pid>.json`, named in the response's X-Query-Log, so that the bench can run the
    same statements directly (the page's "SQL floor").
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.log_dir = getattr(settings, "QUERY_LOG_DIR", "")

    def __call__(self, request):
        count = 0
        log = [] if self.log_dir and request.headers.get("X-Query-Log") == "1" else None

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            result = execute(sql, params, many, context)
            if log is not None and not many:
                log.append(_bound(context, sql, params))
            return result

        wrappers = [conn.execute_wrapper(counter) for conn in connections.all()]
        cpu = time.process_time()
        for w in wrappers:
            w.__enter__()
        try:
            response = self.get_response(request)
        finally:
            for w in reversed(wrappers):
                w.__exit__(None, None, None)
        response["X-CPU-ms"] = f"{(time.process_time() - cpu) * 1000:.1f}"
        response["X-Query-Count"] = str(count)
        if log is not None:
            path = Path(self.log_dir) / f"{os.getpid()}.json"
            # The session options of the connection (pci_portal/settings.py turns JIT off): the bench runs the
            # statements again with the same ones.
            options = connections["default"].settings_dict.get("OPTIONS", {}).get("options", "")
            path.write_text(json.dumps({"options": options, "statements": log}))
            response["X-Query-Log"] = str(path)
        return response


def _bound(context, sql, params):
    """The statement with its parameters bound: as PostgreSQL received it (compose_sql); elsewhere (SQLite,
    `make run`'s database) as the backend shows it in its own query log."""
    if not params:
        return sql
    ops = context["connection"].ops
    if hasattr(ops, "compose_sql"):
        return ops.compose_sql(sql, params)
    return ops.last_executed_query(context["cursor"], sql, params)
