"""API authentication: JWT for people (user and customer in one query), `Api-Key` for integrations."""

from django.contrib.auth import get_user_model
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework_simplejwt.authentication import JWTAuthentication

from customers.models import APIKey


class APIKeyPrincipal:
    """The request's `user` when an API key authenticated it: authenticated, never staff."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False
    pk = None
    id = None

    def __init__(self, key: APIKey):
        self.api_key = key

    def __str__(self):
        return f"API key {self.api_key.name}"

    def has_perm(self, perm, obj=None):
        return False

    def has_perms(self, perms, obj=None):
        return False


class APIKeyAuthentication(BaseAuthentication):
    """Authenticates `Api-Key <key>` headers against the hashed keys; revoked or expired keys fail."""

    keyword = "Api-Key"

    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header.startswith(f"{self.keyword} "):
            return None
        raw = header[len(self.keyword) + 1 :].strip()
        try:
            key = APIKey.objects.get_from_key(raw)
        except APIKey.DoesNotExist:
            raise AuthenticationFailed("Invalid API key.")
        if key.has_expired or key.revoked:
            raise AuthenticationFailed("This API key is revoked or expired.")
        return APIKeyPrincipal(key), key

    def authenticate_header(self, request):
        return self.keyword


class _UsersWithCustomer:
    """Stands in for the user model inside simplejwt's `get_user`: the same lookup, with the
    user's customer joined, so `customer_of(request)` costs no second query."""

    def __init__(self, model):
        self.model = model
        self.DoesNotExist = model.DoesNotExist

    @property
    def objects(self):
        return self.model._default_manager.select_related("customer")


class JWTUserCustomerAuthentication(JWTAuthentication):
    """simplejwt's `Bearer` authentication (every check unchanged), loading the customer with the user."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user_model = _UsersWithCustomer(get_user_model())
