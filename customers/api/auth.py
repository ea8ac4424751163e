"""Auth routes: register, tokens, logout, passwords and one-time codes. Thin: rules are in services.auth."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api.callers import api_key_of, caller_key
from config.api.permissions import IsCustomer
from config.api.throttling import CallerRateThrottle, ScopedActionThrottle
from customers.authentication import JWTUserCustomerAuthentication
from customers.serializers.auth import (
    ChangePasswordInputSerializer,
    ForgotPasswordInputSerializer,
    GenerateOTPInputSerializer,
    OTPSentOutputSerializer,
    RefreshInputSerializer,
    RegisterInputSerializer,
    ResetPasswordInputSerializer,
    TokenObtainInputSerializer,
    TokenPairOutputSerializer,
    VerifyOTPInputSerializer,
)
from customers.serializers.profile import ProfileOutputSerializer, profile_data
from customers.services import auth as auth_services
from customers.services.registration import customer_register

NO_CONTENT = OpenApiResponse(description="Done; no body.")


class IsAccountUser(BasePermission):
    """A person logged in with a JWT (customer or staff), not an API key."""

    message = "This route is for logged-in users."

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and api_key_of(request) is None)


class AccountAuthView(APIView):
    """Routes for a logged-in person: JWT only (API keys are for integrations' staff routes)."""

    authentication_classes = [JWTUserCustomerAuthentication]


class PublicAuthView(APIView):
    """Routes for anyone: no authentication is read, so a stale Bearer header cannot break them."""

    authentication_classes: list = []
    permission_classes = [AllowAny]


def _valid(serializer_class, request):
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class RegisterView(PublicAuthView):
    @extend_schema(
        operation_id="auth_register",
        tags=["auth"],
        request=RegisterInputSerializer,
        responses={201: ProfileOutputSerializer},
        auth=[],
        description="Create a customer account. Duplicate email (any case) 409; `accepted_terms` "
        "must be true; Django's password validators apply.",
    )
    def post(self, request):
        data = _valid(RegisterInputSerializer, request)
        customer = customer_register(
            email=data["email"],
            password=data["password"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            accepted_terms=data["accepted_terms"],
            salutation=data.get("salutation", ""),
            phone_number=data["phone_number"].as_e164 if data.get("phone_number") else "",
            referral_code=data.get("referral_code", ""),
        )
        return Response(profile_data(customer), status=201)


class TokenObtainView(PublicAuthView):
    @extend_schema(
        operation_id="auth_token",
        tags=["auth"],
        request=TokenObtainInputSerializer,
        responses={200: TokenPairOutputSerializer},
        auth=[],
        description="Email and password to an access and a refresh token. Wrong credentials 401. "
        "Repeated failures lock the pair of account and client IP with a growing back-off: "
        "429 `throttled` with `Retry-After`.",
    )
    def post(self, request):
        data = _valid(TokenObtainInputSerializer, request)
        pair = auth_services.token_obtain(
            request=request._request, email=data["email"], password=data["password"]
        )
        return Response(pair)


class TokenRefreshView(PublicAuthView):
    @extend_schema(
        operation_id="auth_token_refresh",
        tags=["auth"],
        request=RefreshInputSerializer,
        responses={200: TokenPairOutputSerializer},
        auth=[],
        description="A new access token and a rotated refresh token; the old refresh token stops "
        "working (401 `token_invalid`).",
    )
    def post(self, request):
        data = _valid(RefreshInputSerializer, request)
        return Response(auth_services.token_refresh(refresh=data["refresh"]))


class LogoutView(AccountAuthView):
    permission_classes = [IsAccountUser]

    @extend_schema(
        operation_id="auth_logout",
        tags=["auth"],
        request=RefreshInputSerializer,
        responses={204: NO_CONTENT},
        description="Blacklist one of the caller's refresh tokens.",
    )
    def post(self, request):
        data = _valid(RefreshInputSerializer, request)
        auth_services.refresh_token_revoke(user=request.user, refresh=data["refresh"])
        return Response(status=204)


class ChangePasswordView(AccountAuthView):
    permission_classes = [IsAccountUser]

    @extend_schema(
        operation_id="auth_change_password",
        tags=["auth"],
        request=ChangePasswordInputSerializer,
        responses={204: NO_CONTENT},
        description="Change the password; every refresh token of the account is revoked, so all "
        "devices (this one too) log in again.",
    )
    def post(self, request):
        data = _valid(ChangePasswordInputSerializer, request)
        auth_services.user_password_change(
            user=request.user, current_password=data["current_password"], new_password=data["new_password"]
        )
        return Response(status=204)


class ForgotPasswordView(PublicAuthView):
    throttle_classes = [CallerRateThrottle, ScopedActionThrottle]
    action_throttle_scope = "password-reset"

    def action_throttle_accounts(self, request) -> list[str]:
        data = request.data if hasattr(request.data, "get") else {}
        email = data.get("email")
        return [auth_services.password_reset_throttle_account(email)] if email else []

    @extend_schema(
        operation_id="auth_forgot_password",
        tags=["auth"],
        request=ForgotPasswordInputSerializer,
        responses={204: NO_CONTENT},
        auth=[],
        description="204 whether or not the email belongs to an account; when it does, an email "
        "with a single-use reset token is sent. Limited per email address and per client IP.",
    )
    def post(self, request):
        data = _valid(ForgotPasswordInputSerializer, request)
        auth_services.password_reset_request(email=data["email"])
        return Response(status=204)


class ResetPasswordView(PublicAuthView):
    @extend_schema(
        operation_id="auth_reset_password",
        tags=["auth"],
        request=ResetPasswordInputSerializer,
        responses={204: NO_CONTENT},
        auth=[],
        description="Set a new password with the emailed token. A used, expired or forged token 400.",
    )
    def post(self, request):
        data = _valid(ResetPasswordInputSerializer, request)
        auth_services.password_reset_confirm(token=data["token"], new_password=data["new_password"])
        return Response(status=204)


class GenerateOTPView(AccountAuthView):
    permission_classes = [IsCustomer]
    throttle_classes = [CallerRateThrottle, ScopedActionThrottle]
    action_throttle_scope = "otp"

    def action_throttle_accounts(self, request) -> list[str]:
        data = request.data if hasattr(request.data, "get") else {}
        target = data.get("email") or data.get("phone_number")
        accounts = [caller_key(request)]
        if target:
            accounts.append(f"target:{str(target).strip().lower()}")
        return accounts

    @extend_schema(
        operation_id="auth_generate_otp",
        tags=["auth"],
        request=GenerateOTPInputSerializer,
        responses={202: OTPSentOutputSerializer},
        description="Send a 6-digit code to the new email address or phone number (10 minutes, "
        "5 tries). An email already used by another account 409. Limited per account, per "
        "target and per client IP.",
    )
    def post(self, request):
        data = _valid(GenerateOTPInputSerializer, request)
        otp = auth_services.otp_generate(
            user=request.user,
            action=data["otp_action"],
            email=data.get("email", ""),
            phone_number=data["phone_number"].as_e164 if data.get("phone_number") else "",
        )
        return Response(OTPSentOutputSerializer(otp, context={"request": request}).data, status=202)


class VerifyOTPView(AccountAuthView):
    permission_classes = [IsCustomer]

    @extend_schema(
        operation_id="auth_verify_otp",
        tags=["auth"],
        request=VerifyOTPInputSerializer,
        responses={200: ProfileOutputSerializer},
        description="Apply the change the code guards (the email, on the login and the customer; or "
        "the phone, then verified) and answer the updated profile. A wrong or expired code 400.",
    )
    def post(self, request):
        data = _valid(VerifyOTPInputSerializer, request)
        customer = auth_services.otp_verify(user=request.user, action=data["otp_action"], code=data["otp"])
        return Response(profile_data(customer))
