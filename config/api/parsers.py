"""The API's JSON parser: DRF's, with bounds on how deep and how wide a body may be.

The body's size is bounded before it is read (`RequestSizeLimitMiddleware`), but 2 MB of JSON
can still be 100,000 levels deep (Python's decoder raised RecursionError: a 500) or one array of
400,000 elements that a serializer validates one by one (40 s of CPU for one request, and an
error body naming every element). No body of the contract nests more than a few levels or holds
more than 500 items in one list, so the parser refuses what no client needs.
"""

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from config.errors import PayloadTooLarge

MAX_DEPTH = 32
MAX_MEMBERS = 1000


def _check_shape(data) -> None:
    """Refuse nesting deeper than MAX_DEPTH and arrays or objects of more than MAX_MEMBERS (iterative,
    so the check itself cannot run out of stack)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if not isinstance(value, dict | list):
            continue
        if depth > MAX_DEPTH:
            raise ParseError(f"The JSON body is nested deeper than {MAX_DEPTH} levels.")
        if len(value) > MAX_MEMBERS:
            raise PayloadTooLarge(f"An array or object in the JSON body has more than {MAX_MEMBERS} members.")
        children = value.values() if isinstance(value, dict) else value
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))


class BoundedJSONParser(JSONParser):
    """JSON bodies at most MAX_DEPTH levels deep, with at most MAX_MEMBERS members per array or object."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(f"The JSON body is nested deeper than {MAX_DEPTH} levels.")
        _check_shape(data)
        return data
