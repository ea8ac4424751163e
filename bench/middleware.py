"""Bench-only: count the database queries of each request into an `X-Bench-Queries` header."""

from django.db import connections


class QueryCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = [0]

        def counter(execute, sql, params, many, context):
            count[0] += 1
            return execute(sql, params, many, context)

        conn = connections["default"]
        with conn.execute_wrapper(counter):
            response = self.get_response(request)
        response["X-Bench-Queries"] = str(count[0])
        return response
