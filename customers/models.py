"""Users, customers (individual or business), addresses, bank accounts, OTP codes and API keys."""

from decimal import Decimal

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django_countries.fields import CountryField
from phonenumber_field.modelfields import PhoneNumberField
from rest_framework_api_key.models import AbstractAPIKey
from simple_history.models import HistoricalRecords

from config.fields import MoneyField, PublicIdField


class UserManager(BaseUserManager):
    """Creates users by email; `createsuperuser --noinput` works with DJANGO_SUPERUSER_*."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).strip(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A login: customers and staff sign in with their email address."""

    email = models.EmailField("email address", max_length=254)
    full_name = models.CharField(max_length=150, blank=True, help_text="Shown for staff users.")
    is_staff = models.BooleanField(default=False, help_text="Can log into the admin site.")
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="customers_user_email_ci_unique"),
        ]

    def __str__(self):
        return self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).strip()

    def get_full_name(self):
        customer = getattr(self, "customer", None)
        if customer is not None:
            return customer.full_name
        return self.full_name or self.email

    def get_short_name(self):
        return self.get_full_name()


class Customer(models.Model):
    """A customer account: an individual shopper or a business (wholesale) customer."""

    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", "Individual"
        BUSINESS = "business", "Business"

    class Salutation(models.TextChoices):
        MR = "mr", "Mr"
        MS = "ms", "Ms"
        MRS = "mrs", "Mrs"
        MX = "mx", "Mx"
        DR = "dr", "Dr"

    class Gender(models.TextChoices):
        FEMALE = "female", "Female"
        MALE = "male", "Male"
        NON_BINARY = "non_binary", "Non-binary"
        UNDISCLOSED = "undisclosed", "Prefer not to say"

    class ReminderFrequency(models.TextChoices):
        NEVER = "never", "Never"
        WEEKLY = "weekly", "Weekly"
        MONTHLY = "monthly", "Monthly"
        QUARTERLY = "quarterly", "Quarterly"

    class PaymentTerms(models.TextChoices):
        DUE_ON_RECEIPT = "due_on_receipt", "Due on receipt"
        NET_15 = "net_15", "Net 15"
        NET_30 = "net_30", "Net 30"
        NET_60 = "net_60", "Net 60"
        NET_90 = "net_90", "Net 90"

    public_id = PublicIdField(prefix="cust")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="customer"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.INDIVIDUAL)
    email = models.EmailField(max_length=254)
    salutation = models.CharField(max_length=8, choices=Salutation.choices, blank=True)
    first_name = models.CharField(max_length=150, blank=True)
    last_name = models.CharField(max_length=150, blank=True)
    phone_number = PhoneNumberField(blank=True)
    phone_verified = models.BooleanField(default=False)
    date_of_birth = models.DateField(null=True, blank=True)
    gender = models.CharField(max_length=16, choices=Gender.choices, blank=True)
    profile_image = models.ImageField(upload_to="profile-images/", blank=True)

    # Preferences. `email_marketing` / `sms_marketing` are the promotional email / sms channels.
    preferred_currency = models.CharField(max_length=3, default="USD")
    reminder_frequency = models.CharField(
        max_length=16, choices=ReminderFrequency.choices, default=ReminderFrequency.MONTHLY
    )
    email_marketing = models.BooleanField(default=False)
    sms_marketing = models.BooleanField(default=False)
    promotional_whatsapp = models.BooleanField(default=False)
    transactional_email = models.BooleanField(default=True)
    transactional_sms = models.BooleanField(default=False)
    transactional_whatsapp = models.BooleanField(default=False)
    newsletter_email = models.BooleanField(default=False)
    newsletter_sms = models.BooleanField(default=False)
    newsletter_whatsapp = models.BooleanField(default=False)

    referred_by_code = models.CharField(
        max_length=32, blank=True, help_text="The referral code given at registration."
    )
    accepted_terms_at = models.DateTimeField(null=True, blank=True)

    # Business (wholesale) accounts.
    company_name = models.CharField(max_length=200, blank=True)
    website = models.URLField(blank=True)
    tax_id = models.CharField(max_length=64, blank=True)
    fax = PhoneNumberField(blank=True)
    payment_terms = models.CharField(
        max_length=16, choices=PaymentTerms.choices, default=PaymentTerms.DUE_ON_RECEIPT
    )
    currency = models.CharField(max_length=3, default="USD")
    credit_limit = MoneyField(default=Decimal("0.00"))
    current_balance = MoneyField(default=Decimal("0.00"), help_text="What the customer owes on account.")
    discount_rate = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("0.00"))
    preferred_shipping = models.CharField(max_length=64, blank=True)
    notes = models.TextField(blank=True)

    is_active = models.BooleanField(default=True)
    customer_since = models.DateField(default=timezone.localdate)
    erased_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="customers_customer_email_ci_unique"),
            models.CheckConstraint(
                condition=Q(credit_limit__gte=0), name="customers_customer_credit_limit_gte_0"
            ),
            models.CheckConstraint(
                condition=Q(current_balance__gte=0), name="customers_customer_current_balance_gte_0"
            ),
            models.CheckConstraint(
                condition=Q(discount_rate__gte=0) & Q(discount_rate__lte=100),
                name="customers_customer_discount_rate_0_100",
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "is_active", "-created_at"], name="customers_cust_kind_active"),
            models.Index(Lower("last_name"), name="customers_cust_last_name_ci"),
            models.Index(Lower("company_name"), name="customers_cust_company_ci"),
            models.Index(fields=["phone_number"], name="customers_cust_phone"),
        ]
        permissions = [
            ("anonymize_customer", "Can anonymize (GDPR-erase) a customer"),
        ]

    def __str__(self):
        return f"{self.display_name} <{self.email}>"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def display_name(self) -> str:
        if self.kind == self.Kind.BUSINESS and self.company_name:
            return self.company_name
        return self.full_name or self.email

    @property
    def available_credit(self) -> Decimal:
        return self.credit_limit - self.current_balance


class Address(models.Model):
    """An entry of a customer's address book."""

    public_id = PublicIdField(prefix="addr")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="addresses")
    name = models.CharField("label", max_length=64, blank=True)
    first_name = models.CharField(max_length=150, blank=True)
    last_name = models.CharField(max_length=150, blank=True)
    company = models.CharField(max_length=200, blank=True)
    line1 = models.CharField(max_length=200)
    line2 = models.CharField(max_length=200, blank=True)
    line3 = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=120, blank=True)
    state = models.CharField("state / area", max_length=120, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    country = CountryField()
    phone = PhoneNumberField(blank=True)
    is_default_billing = models.BooleanField(default=False)
    is_default_shipping = models.BooleanField(default=False)
    fingerprint = models.CharField(
        max_length=64,
        blank=True,
        editable=False,
        help_text="Digest of the normalised address; equal for duplicates. Blank once erased.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "addresses"
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "fingerprint"],
                condition=~Q(fingerprint=""),
                name="customers_address_no_duplicates",
            ),
            models.UniqueConstraint(
                fields=["customer"],
                condition=Q(is_default_billing=True),
                name="customers_address_one_default_billing",
            ),
            models.UniqueConstraint(
                fields=["customer"],
                condition=Q(is_default_shipping=True),
                name="customers_address_one_default_shipping",
            ),
        ]
        indexes = [
            models.Index(
                F("customer"),
                F("is_default_billing").desc(),
                F("is_default_shipping").desc(),
                F("updated_at").desc(),
                name="customers_address_book_order",
            ),
        ]

    def __str__(self):
        label = f"{self.name}: " if self.name else ""
        return f"{label}{self.line1}, {self.city} {self.postal_code} {self.country}".strip()


class BankAccount(models.Model):
    """A saved account for bank-transfer refunds; only the last four IBAN characters are ever shown."""

    public_id = PublicIdField(prefix="bank")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="bank_accounts")
    holder_name = models.CharField(max_length=200)
    iban = models.CharField(max_length=34)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["customer", "-created_at"], name="customers_bank_by_customer")]
        constraints = [
            models.UniqueConstraint(fields=["customer", "iban"], name="customers_bankaccount_unique_iban"),
        ]

    def __str__(self):
        return f"{self.holder_name} ••••{self.iban_last4}"

    @property
    def iban_last4(self) -> str:
        return self.iban[-4:]


class OTPCode(models.Model):
    """A one-time code sent to a new email address or phone number before it replaces the old one."""

    class Action(models.TextChoices):
        UPDATE_EMAIL = "update-email", "Update email"
        UPDATE_PHONE = "update-phone", "Update phone"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="otp_codes")
    action = models.CharField(max_length=16, choices=Action.choices)
    target = models.CharField(max_length=254, help_text="The new email address or phone number.")
    code_hash = models.CharField(max_length=128)
    attempts = models.PositiveSmallIntegerField(default=0)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["user", "action", "-created_at"], name="customers_otp_lookup")]

    def __str__(self):
        return f"{self.action} for {self.user_id}"


class APIKey(AbstractAPIKey):
    """A server-to-server key; its scopes decide which staff routes it may call."""

    SCOPES = [
        "customers:read",
        "customers:write",
        "orders:read",
        "orders:write",
        "loyalty:write",
        "catalog:write",
        "webhooks:write",
    ]

    scopes = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="api_keys"
    )

    class Meta(AbstractAPIKey.Meta):
        verbose_name = "API key"
        verbose_name_plural = "API keys"

    def has_scope(self, scope: str) -> bool:
        return scope in (self.scopes or [])


class Contact(models.Model):
    """A person to talk to at a business customer; exactly one is primary while any exist."""

    public_id = PublicIdField(prefix="cont")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200)
    title = models.CharField(max_length=120, blank=True)
    email = models.EmailField(max_length=254, blank=True)
    phone = PhoneNumberField(blank=True)
    is_primary = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-is_primary", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer"], condition=Q(is_primary=True), name="customers_contact_one_primary"
            ),
        ]
        indexes = [
            models.Index(fields=["customer", "-is_primary", "name"], name="customers_contact_by_customer"),
        ]

    def __str__(self):
        return f"{self.name} ({self.title})" if self.title else self.name


class CreditCheck(models.Model):
    """One scoring of a business customer's credit, and the staff decision on its recommendation."""

    class Status(models.TextChoices):
        PENDING_APPROVAL = "pending_approval", "Pending approval"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        NOT_REQUIRED = "not_required", "Not required"

    class Rating(models.TextChoices):
        EXCELLENT = "excellent", "Excellent"
        GOOD = "good", "Good"
        FAIR = "fair", "Fair"
        POOR = "poor", "Poor"
        VERY_POOR = "very_poor", "Very poor"

    class Risk(models.TextChoices):
        LOW = "low", "Low"
        MEDIUM = "medium", "Medium"
        HIGH = "high", "High"

    public_id = PublicIdField(prefix="cc")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="credit_checks")
    provider = models.CharField(max_length=64)
    credit_score = models.PositiveSmallIntegerField()
    credit_rating = models.CharField(max_length=16, choices=Rating.choices)
    risk_assessment = models.CharField(max_length=8, choices=Risk.choices)
    factors = models.JSONField(default=dict, blank=True, help_text="The inputs and partial scores.")
    recommended_credit_limit = MoneyField()
    current_credit_limit = MoneyField(help_text="The customer's limit when the check ran.")
    status = models.CharField(max_length=20, choices=Status.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(credit_score__gte=300) & Q(credit_score__lte=850),
                name="customers_creditcheck_score_300_850",
            ),
            models.CheckConstraint(
                condition=Q(recommended_credit_limit__gte=0) & Q(current_credit_limit__gte=0),
                name="customers_creditcheck_limits_gte_0",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending_approval", "approved", "rejected", "not_required"]),
                name="customers_creditcheck_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["approved", "rejected"], decided_at__isnull=False)
                | Q(status__in=["pending_approval", "not_required"], decided_at__isnull=True),
                name="customers_creditcheck_decided_at_matches_status",
            ),
            models.UniqueConstraint(
                fields=["customer"],
                condition=Q(status="pending_approval"),
                name="customers_creditcheck_one_pending",
            ),
        ]
        indexes = [
            models.Index(fields=["customer", "-created_at"], name="customers_cc_by_customer"),
            models.Index(fields=["status", "created_at"], name="customers_cc_queue"),
        ]
        permissions = [("approve_credit", "Can approve or reject credit checks")]

    def __str__(self):
        return f"{self.public_id} ({self.get_status_display()})"

    def can_decide(self) -> bool:
        return self.status == self.Status.PENDING_APPROVAL
