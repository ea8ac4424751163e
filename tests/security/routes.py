"""The API's routes as the URLconf serves them: (URL name, route pattern, HTTP method)."""

import re

from django.urls import URLPattern, URLResolver, get_resolver

HTTP_METHODS = ("get", "post", "put", "patch", "delete")


def _walk(patterns, prefix: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern


def _methods(callback) -> list[str]:
    view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if view_class is None:
        return ["GET"]
    allowed = getattr(view_class, "http_method_names", HTTP_METHODS)
    actions = getattr(callback, "actions", None)
    if actions:
        return sorted(m.upper() for m in actions if m in allowed)
    return sorted(m.upper() for m in HTTP_METHODS if m in allowed and hasattr(view_class, m))


def api_operations() -> list[tuple[str, str, str]]:
    """Every (name, route, METHOD) served under /api/."""
    found = []
    for route, pattern in _walk(get_resolver().url_patterns):
        if not route.startswith("api/"):
            continue
        assert pattern.name, f"The API route {route} has no URL name"
        for method in _methods(pattern.callback):
            found.append((pattern.name, route, method))
    return found


_REGEX_GROUP = re.compile(r"\(\?P<(\w+)>((?:[^()]|\([^()]*\))*)\)")
_CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")


def openapi_path(route: str) -> str:
    """`api/orders/<str:number>` or `^customers/(?P<id>cust_...)$` as the schema writes it."""
    route = _REGEX_GROUP.sub(r"{\1}", route).replace("^", "").replace("$", "")
    return "/" + _CONVERTER.sub(r"{\1}", route)


def example_url(route: str) -> str:
    """A URL the route matches, with placeholder ids (`cust_x1` where the route wants one)."""
    route = _REGEX_GROUP.sub(lambda m: "cust_x1" if "cust_" in m.group(2) else "x_1", route)
    return "/" + _CONVERTER.sub("x_1", route.replace("^", "").replace("$", ""))
