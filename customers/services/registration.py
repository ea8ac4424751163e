"""Creating customer accounts (the API's register route, the register page and demo data)."""

from datetime import date

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from config.errors import Conflict, ValidationFailed
from customers import registry
from customers.models import Customer, User
from customers.services.events import customer_event_record
from integrations import events


def _normalize_email(email: str) -> str:
    return User.objects.normalize_email((email or "").strip())


@transaction.atomic
def customer_register(
    *,
    email: str,
    password: str,
    first_name: str,
    last_name: str,
    accepted_terms: bool,
    salutation: str = "",
    phone_number: str = "",
    referral_code: str = "",
    date_of_birth: date | None = None,
) -> Customer:
    """Create a login and its individual customer account; 409 when the email is taken."""
    email = _normalize_email(email)
    if not accepted_terms:
        raise ValidationFailed.on("accepted_terms", "You must accept the terms to register.")
    if (
        User.objects.filter(email__iexact=email).exists()
        or Customer.objects.filter(email__iexact=email).exists()
    ):
        raise Conflict(
            "An account with this email already exists.", details={"email": ["Already registered."]}
        )
    candidate = User(email=email)
    try:
        password_validation.validate_password(password, user=candidate)
    except DjangoValidationError as exc:
        raise ValidationFailed(exc.messages[0], details={"password": exc.messages})
    try:
        with transaction.atomic():
            user = User.objects.create_user(email=email, password=password)
            customer = Customer.objects.create(
                user=user,
                email=email,
                first_name=first_name.strip(),
                last_name=last_name.strip(),
                salutation=salutation or "",
                phone_number=phone_number or "",
                date_of_birth=date_of_birth,
                referred_by_code=(referral_code or "").strip(),
                accepted_terms_at=timezone.now(),
            )
    except IntegrityError:
        # A concurrent registration with the same email won the race.
        raise Conflict(
            "An account with this email already exists.", details={"email": ["Already registered."]}
        )
    for hook in registry.signup_hooks().values():
        hook(customer)
    customer_event_record(events.CUSTOMER_CREATED, customer=customer)
    return customer
