"""Messages of the auth flows: password-reset emails and one-time codes (email or SMS)."""

from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

from customers.models import User
from customers.sms import send_sms

RETRY = {"autoretry_for": (OSError, SMTPException), "retry_backoff": True, "max_retries": 5}


@shared_task(**RETRY)
def send_password_reset_email(*, user_id: int) -> bool:
    """Email a reset token to an active user; the token is made now, so it expires from now."""
    from customers.services.auth import password_reset_token_make, user_can_log_in

    user = User.objects.select_related("customer").filter(pk=user_id).first()
    if not user_can_log_in(user):
        return False
    token = password_reset_token_make(user=user)
    uid, _, reset_token = token.partition(".")
    context = {
        "token": token,
        "reset_url": settings.PASSWORD_RESET_URL.format(uid=uid, token=reset_token),
        "valid_minutes": settings.PASSWORD_RESET_TIMEOUT // 60,
        "name": user.get_short_name(),
    }
    send_mail(
        "Reset your MOOD MNKY password",
        render_to_string("email/password_reset.txt", context),
        None,
        [user.email],
    )
    return True


@shared_task(**RETRY)
def send_otp_email(*, to: str, code: str) -> None:
    """Email a verification code to a new address."""
    context = {"code": code, "valid_minutes": int(settings.OTP_TTL.total_seconds() // 60)}
    send_mail(
        "Your MOOD MNKY verification code",
        render_to_string("email/otp_code.txt", context),
        None,
        [to],
    )


@shared_task(**RETRY)
def send_otp_sms(*, to: str, code: str) -> None:
    """Text a verification code to a new phone number."""
    minutes = int(settings.OTP_TTL.total_seconds() // 60)
    send_sms(to=to, body=f"Your MOOD MNKY verification code is {code}. It expires in {minutes} minutes.")


@shared_task(**RETRY)
def send_email_changed_notice(*, to: str, new_email: str) -> None:
    """Tell the previous address that the account's email changed, in case it was not its owner."""
    send_mail(
        "Your MOOD MNKY email address was changed",
        render_to_string("email/email_changed.txt", {"new_email": new_email}),
        None,
        [to],
    )
