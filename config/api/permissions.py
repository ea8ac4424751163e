"""Permission classes shared by every app's API.

- `IsCustomer`: a logged-in person with a customer account ("me" routes). Staff users and API
  keys are refused (403).
- `IsStaffOrScopedKey`: staff routes. A staff user (JWT), or an API key carrying the view's
  scope: `<resource>:read` for safe methods (`<resource>:write` when the resource has no read
  scope), `<resource>:write` for the rest. A view may also
  require Django permissions of staff users (`staff_permissions`), and may refuse keys. A view
  whose resource has one scope for every method (`webhooks:write`) may name it in
  `api_key_scope_all_methods`.
"""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from config.api.callers import api_key_of


def customer_of(request):
    """The Customer behind the request's user, or None."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or api_key_of(request) is not None:
        return None
    return getattr(user, "customer", None)


def required_scope(view, method: str) -> str | None:
    """`<resource>:read` for safe methods, `<resource>:write` for the rest. A resource with no read
    scope (`catalog`, `loyalty`, `webhooks`) is read with its write scope: a key that may manage
    discount codes may also list them."""
    from customers.models import APIKey

    fixed = getattr(view, "api_key_scope_all_methods", None)
    if fixed:
        return fixed
    resource = getattr(view, "api_key_scope", None)
    if not resource:
        return None
    read = f"{resource}:read"
    if method in SAFE_METHODS and read in APIKey.SCOPES:
        return read
    return f"{resource}:write"


class IsCustomer(BasePermission):
    """A customer's own account routes."""

    message = "This route is for customer accounts."

    def has_permission(self, request, view):
        customer = customer_of(request)
        return customer is not None and customer.is_active


class IsStaffOrScopedKey(BasePermission):
    """Staff users, or API keys with the view's scope."""

    message = "This route needs a staff account or an API key with the right scope."

    def has_permission(self, request, view):
        key = api_key_of(request)
        if key is not None:
            if getattr(view, "api_key_allowed", True) is False:
                return False
            scope = required_scope(view, request.method)
            return scope is not None and key.has_scope(scope)
        user = request.user
        if not (user and user.is_authenticated and user.is_staff and user.is_active):
            return False
        perms = staff_permissions_for(view, request)
        return user.has_perms(perms) if perms else True


def staff_permissions_for(view, request) -> list[str]:
    perms = getattr(view, "staff_permissions", None) or []
    if isinstance(perms, dict):
        method = request.method.lower()
        # HEAD is served by `get`: it needs what GET needs
        perms = perms.get(getattr(view, "action", None) or ("get" if method == "head" else method), [])
    return list(perms)


class IsOwnerCustomerOrStaff(BasePermission):
    """ "owner, staff" routes: a customer (their querysets are owner-filtered), staff, or a key with
    the view's read scope for safe methods (write scope otherwise)."""

    def has_permission(self, request, view):
        if customer_of(request) is not None:
            return True
        return IsStaffOrScopedKey().has_permission(request, view)
