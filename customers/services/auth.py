"""Authentication rules: tokens, passwords, password resets and one-time codes for email/phone changes.

The API views and the pages call these functions; none of them knows about HTTP beyond the
`request` that `token_obtain` hands to Django's `authenticate()` (django-axes needs the client's
address to count failures per account and IP).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from phonenumber_field.phonenumber import to_python
from rest_framework_simplejwt.exceptions import TokenBackendError, TokenError
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.state import token_backend
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken
from rest_framework_simplejwt.utils import get_md5_hash_password

from config.errors import Conflict, NotAuthenticated, RateLimited, TokenInvalid, ValidationFailed
from customers import lockout
from customers.models import Customer, OTPCode, User
from customers.services.events import customer_updated_record

WRONG_CREDENTIALS = "No active account was found with this email and password."
RESET_TOKEN_INVALID = "This reset token is invalid, expired or already used."


# Tokens -------------------------------------------------------------------------------------


def user_can_log_in(user: User | None) -> bool:
    """An active login whose customer account (if any) is neither disabled nor erased."""
    if user is None or not user.is_active:
        return False
    customer = getattr(user, "customer", None)
    return customer is None or (customer.is_active and customer.erased_at is None)


def _token_pair(user: User) -> dict[str, str]:
    refresh = RefreshToken.for_user(user)
    return {"access": str(refresh.access_token), "refresh": str(refresh)}


def token_obtain(*, request: HttpRequest, email: str, password: str) -> dict[str, str]:
    """Email and password to an access/refresh pair; lockouts per (account, IP) are django-axes'."""
    user = authenticate(request, username=email.strip(), password=password)
    if user is None:
        if getattr(request, "axes_locked_out", False):
            seconds = lockout.retry_after_seconds(request, {"email": email})
            raise RateLimited(lockout.lockout_message(seconds), retry_after=seconds)
        raise NotAuthenticated(WRONG_CREDENTIALS)
    if not user_can_log_in(user):
        raise NotAuthenticated(WRONG_CREDENTIALS)
    # Resets the pair's failure count (AXES_RESET_ON_SUCCESS) and records the last login.
    user_logged_in.send(sender=user.__class__, request=request, user=user)
    return _token_pair(user)


def token_refresh(*, refresh: str) -> dict[str, str]:
    """A new pair for a refresh token, which is blacklisted: each refresh token works once."""
    try:
        token = RefreshToken(refresh)  # signature, expiry, type and the blacklist
    except TokenError:
        raise TokenInvalid()
    user = User.objects.select_related("customer").filter(pk=token.get(jwt_settings.USER_ID_CLAIM)).first()
    if not user_can_log_in(user):
        raise TokenInvalid()
    if jwt_settings.CHECK_REVOKE_TOKEN and token.get(
        jwt_settings.REVOKE_TOKEN_CLAIM
    ) != get_md5_hash_password(user.password):
        raise TokenInvalid()
    with transaction.atomic():
        outstanding = (
            OutstandingToken.objects.select_for_update().filter(jti=token[jwt_settings.JTI_CLAIM]).first()
        )
        if outstanding is None:
            raise TokenInvalid()
        try:
            with transaction.atomic():
                # One-to-one: of two concurrent refreshes of the same token only one gets here.
                BlacklistedToken.objects.create(token=outstanding)
        except IntegrityError:
            raise TokenInvalid()
        return _token_pair(user)


def refresh_token_revoke(*, user: User, refresh: str) -> None:
    """Log out: blacklist one of the user's refresh tokens (already blacklisted is fine)."""
    try:
        payload = token_backend.decode(refresh, verify=True)
    except (TokenBackendError, TokenError):
        raise ValidationFailed.on("refresh", "The refresh token is invalid or expired.")
    if payload.get(jwt_settings.TOKEN_TYPE_CLAIM) != "refresh":
        raise ValidationFailed.on("refresh", "This is not a refresh token.")
    if str(payload.get(jwt_settings.USER_ID_CLAIM)) != str(user.pk):
        raise ValidationFailed.on("refresh", "This refresh token belongs to another session.")
    outstanding = OutstandingToken.objects.filter(jti=payload.get(jwt_settings.JTI_CLAIM), user=user).first()
    if outstanding is None:
        raise ValidationFailed.on("refresh", "The refresh token is invalid or expired.")
    BlacklistedToken.objects.get_or_create(token=outstanding)


def user_refresh_tokens_revoke_all(*, user: User) -> int:
    """Blacklist every unexpired refresh token of the user (every device is logged out)."""
    outstanding = OutstandingToken.objects.filter(
        user=user, expires_at__gt=timezone.now(), blacklistedtoken__isnull=True
    )
    created = BlacklistedToken.objects.bulk_create(
        [BlacklistedToken(token=token) for token in outstanding], ignore_conflicts=True
    )
    return len(created)


# Passwords ----------------------------------------------------------------------------------


def _validate_new_password(password: str, *, user: User, field: str = "new_password") -> None:
    try:
        password_validation.validate_password(password, user=user)
    except DjangoValidationError as exc:
        raise ValidationFailed(exc.messages[0], details={field: exc.messages})


def _password_set(*, user: User, password: str) -> None:
    user.set_password(password)
    user.save(update_fields=["password"])
    user_refresh_tokens_revoke_all(user=user)


@transaction.atomic
def user_password_change(*, user: User, current_password: str, new_password: str) -> None:
    """Change a password knowing the current one; every session is logged out."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.check_password(current_password):
        raise ValidationFailed.on("current_password", "The current password is wrong.")
    _validate_new_password(new_password, user=user)
    _password_set(user=user, password=new_password)


def password_reset_token_make(*, user: User) -> str:
    """A signed, single-use, expiring token: `<uid>.<Django's reset token>`.

    Django's token is an HMAC over the password hash, last login and email, so it stops working
    once the password changes (single use) and after PASSWORD_RESET_TIMEOUT seconds.
    """
    return f"{urlsafe_base64_encode(force_bytes(user.pk))}.{default_token_generator.make_token(user)}"


def password_reset_throttle_account(email: str) -> str:
    """The counter of reset emails for one address, shared by the API and the page (any case, spaces)."""
    return f"email:{str(email or '').strip().lower()}"


def password_reset_request(*, email: str) -> bool:
    """Send a reset email if an active account has this email; says nothing to the caller either way."""
    user = User.objects.filter(email__iexact=(email or "").strip(), is_active=True).first()
    if user is None or not user.has_usable_password() or not user_can_log_in(user):
        return False
    from customers.tasks.auth import send_password_reset_email

    user_id = user.pk
    transaction.on_commit(lambda: send_password_reset_email.delay(user_id=user_id))
    return True


@transaction.atomic
def password_reset_confirm(*, token: str, new_password: str) -> User:
    """Set a new password with a reset token; the token (and every session) is spent."""
    uid, _, reset_token = (token or "").strip().partition(".")
    try:
        pk = int(force_str(urlsafe_base64_decode(uid)))
    except (ValueError, TypeError, OverflowError):
        raise ValidationFailed.on("token", RESET_TOKEN_INVALID)
    user = User.objects.select_for_update().filter(pk=pk).first()
    if not user_can_log_in(user) or not default_token_generator.check_token(user, reset_token):
        raise ValidationFailed.on("token", RESET_TOKEN_INVALID)
    _validate_new_password(new_password, user=user)
    _password_set(user=user, password=new_password)
    # A locked-out owner who proved control of the mailbox may log in again at once.
    from axes.utils import reset as axes_reset

    axes_reset(username=lockout.lockout_username(None, {"email": user.email}))
    return user


# One-time codes for email and phone changes -------------------------------------------------


def _otp_hash(*, user_id: int, action: str, target: str, code: str) -> str:
    # Keyed with SECRET_KEY: a leaked table does not let anyone try the million codes offline.
    return salted_hmac("customers.otp", f"{user_id}:{action}:{target}:{code}", algorithm="sha256").hexdigest()


def _email_taken(email: str, *, by_other_than: User) -> bool:
    return (
        User.objects.filter(email__iexact=email).exclude(pk=by_other_than.pk).exists()
        or Customer.objects.filter(email__iexact=email).exclude(user=by_other_than).exists()
    )


def _customer_of(user: User) -> Customer:
    customer = getattr(user, "customer", None)
    if customer is None:
        raise ValidationFailed("This account has no customer profile.")
    return customer


@transaction.atomic
def otp_generate(*, user: User, action: str, email: str = "", phone_number: str = "") -> OTPCode:
    """Send a 6-digit code to a new email address or phone number; the change waits for it."""
    customer = _customer_of(user)
    if action == OTPCode.Action.UPDATE_EMAIL:
        target = User.objects.normalize_email((email or "").strip())
        if not target:
            raise ValidationFailed.on("email", "The new email address is required.")
        if target.lower() == user.email.lower():
            raise ValidationFailed.on("email", "This is already your email address.")
        if _email_taken(target, by_other_than=user):
            raise Conflict(
                "Another account uses this email address.", details={"email": ["Already registered."]}
            )
    elif action == OTPCode.Action.UPDATE_PHONE:
        phone = to_python(str(phone_number or "").strip())
        if not phone or not phone.is_valid():
            raise ValidationFailed.on("phone_number", "Enter a valid phone number in E.164 format.")
        target = phone.as_e164
        if customer.phone_verified and str(customer.phone_number) == target:
            raise ValidationFailed.on("phone_number", "This phone number is already verified.")
    else:
        raise ValidationFailed.on("otp_action", "Choose update-email or update-phone.")

    # A new code replaces any pending one for the same action.
    OTPCode.objects.filter(user=user, action=action, used_at__isnull=True).delete()
    code = f"{secrets.randbelow(10**6):06d}"
    otp = OTPCode.objects.create(
        user=user,
        action=action,
        target=target,
        code_hash=_otp_hash(user_id=user.pk, action=action, target=target, code=code),
        expires_at=timezone.now() + settings.OTP_TTL,
    )
    from customers.tasks.auth import send_otp_email, send_otp_sms

    if action == OTPCode.Action.UPDATE_EMAIL:
        transaction.on_commit(lambda: send_otp_email.delay(to=target, code=code))
    else:
        transaction.on_commit(lambda: send_otp_sms.delay(to=target, code=code))
    return otp


def _otp_apply(*, otp: OTPCode, customer: Customer) -> None:
    user = User.objects.select_for_update().get(pk=otp.user_id)
    if otp.action == OTPCode.Action.UPDATE_EMAIL:
        if _email_taken(otp.target, by_other_than=user):
            raise Conflict(
                "Another account uses this email address.", details={"email": ["Already registered."]}
            )
        previous = user.email
        try:
            with transaction.atomic():
                user.email = otp.target
                user.save(update_fields=["email"])
                customer.email = otp.target
                customer.save(update_fields=["email", "updated_at"])
        except IntegrityError:
            raise Conflict(
                "Another account uses this email address.", details={"email": ["Already registered."]}
            )
        from customers.tasks.auth import send_email_changed_notice

        new_email = otp.target
        transaction.on_commit(lambda: send_email_changed_notice.delay(to=previous, new_email=new_email))
    else:
        customer.phone_number = otp.target
        customer.phone_verified = True
        customer.save(update_fields=["phone_number", "phone_verified", "updated_at"])


def otp_verify(*, user: User, action: str, code: str) -> Customer:
    """Check a code and apply the change it guards; a wrong code counts against its 5 tries."""
    customer = _customer_of(user)
    wrong_code = None
    with transaction.atomic():
        otp = (
            OTPCode.objects.select_for_update()
            .filter(user=user, action=action, used_at__isnull=True)
            .order_by("-created_at", "-pk")
            .first()
        )
        if otp is None:
            raise ValidationFailed.on("otp", "No code is pending for this change; request a new one.")
        if otp.expires_at <= timezone.now():
            raise ValidationFailed.on("otp", "This code has expired; request a new one.")
        if otp.attempts >= settings.OTP_MAX_ATTEMPTS:
            raise ValidationFailed.on("otp", "Too many wrong codes; request a new one.")
        expected = _otp_hash(user_id=user.pk, action=action, target=otp.target, code=code)
        if not constant_time_compare(expected, otp.code_hash):
            # Counted and committed before the error is raised, outside this block.
            OTPCode.objects.filter(pk=otp.pk).update(attempts=F("attempts") + 1)
            left = settings.OTP_MAX_ATTEMPTS - otp.attempts - 1
            message = (
                f"The code is wrong; {left} {'try' if left == 1 else 'tries'} left."
                if left > 0
                else "The code is wrong and no tries are left; request a new one."
            )
            wrong_code = ValidationFailed.on("otp", message)
        else:
            customer = Customer.objects.select_for_update().get(pk=customer.pk)
            _otp_apply(otp=otp, customer=customer)
            customer_updated_record(
                customer=customer,
                changed=["email" if otp.action == OTPCode.Action.UPDATE_EMAIL else "phone_number"],
            )
            otp.used_at = timezone.now()
            otp.save(update_fields=["used_at"])
    if wrong_code is not None:
        raise wrong_code
    return customer
