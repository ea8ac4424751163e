"""Staff admin for webhooks: endpoints (the secret is shown once, in a message, on creation and
rotation), the delivery log with a redeliver action, and the events (read-only). Django's model
permissions decide who may do what; every change goes through `integrations.services`."""

from django import forms
from django.contrib import admin, messages
from django.utils.html import format_html

from config.errors import DomainError
from integrations import services
from integrations.events import EVENT_TYPES
from integrations.models import Delivery, Event, WebhookEndpoint


class WebhookEndpointForm(forms.ModelForm):
    events = forms.MultipleChoiceField(
        choices=[(t, t) for t in EVENT_TYPES],
        widget=forms.CheckboxSelectMultiple,
        help_text="The event types this endpoint receives.",
    )
    url = forms.CharField(
        max_length=2000,
        help_text="https to a public address (private addresses only with WEBHOOK_ALLOW_PRIVATE=1).",
    )

    class Meta:
        model = WebhookEndpoint
        fields = ("url", "events", "is_active")

    def clean(self):
        cleaned = super().clean()
        # The service's own checks, shown on the form's fields.
        try:
            if "url" in cleaned:
                services._clean_url(cleaned["url"])
            if "events" in cleaned:
                services._clean_events(list(cleaned["events"]))
        except DomainError as exc:
            for field, errors in exc.details.items():
                for error in errors:
                    self.add_error(field if field in self.fields else None, error)
        return cleaned


def _show_secret(request, endpoint, secret: str, what: str) -> None:
    messages.warning(
        request,
        format_html(
            "{} for {}: <code>{}</code> — copy it now, it is not shown again.",
            what,
            endpoint.public_id,
            secret,
        ),
    )


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    form = WebhookEndpointForm
    list_display = [
        "public_id",
        "url",
        "event_list",
        "is_active",
        "failure_count",
        "created_by",
        "created_at",
    ]
    list_filter = ["is_active"]
    list_select_related = ["created_by"]
    search_fields = ["=public_id", "url"]
    readonly_fields = [
        "public_id",
        "failure_count",
        "failing_since",
        "disabled_at",
        "previous_secret_expires_at",
        "created_by",
        "created_at",
        "updated_at",
    ]
    actions = ["rotate_secrets"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["url", "events", "is_active"]
        return ["url", "events", "is_active", *self.readonly_fields]

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    @admin.display(description="events")
    def event_list(self, obj):
        return ", ".join(obj.events or [])

    def save_model(self, request, obj, form, change):
        values = form.cleaned_data
        if change:
            services.webhook_endpoint_update(
                endpoint=obj, url=values["url"], events=list(values["events"]), is_active=values["is_active"]
            )
            return
        endpoint, secret = services.webhook_endpoint_create(
            url=values["url"], events=list(values["events"]), is_active=values["is_active"], by=request.user
        )
        obj.pk, obj.public_id = endpoint.pk, endpoint.public_id
        _show_secret(request, endpoint, secret, "Signing secret")

    @admin.action(
        description="Rotate the signing secret (the old one keeps signing for 24 h)", permissions=["change"]
    )
    def rotate_secrets(self, request, queryset):
        for endpoint in queryset:
            endpoint, secret = services.webhook_endpoint_rotate_secret(endpoint=endpoint)
            _show_secret(request, endpoint, secret, "New signing secret")


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "public_id",
        "endpoint",
        "event_type",
        "status",
        "attempts",
        "last_status_code",
        "next_attempt_at",
        "created_at",
    ]
    list_filter = ["status", ("created_at", admin.DateFieldListFilter)]
    list_select_related = ["endpoint", "event"]
    search_fields = ["=public_id", "=event__public_id", "=endpoint__public_id"]
    ordering = ["-created_at", "-id"]
    show_full_result_count = False
    actions = ["redeliver"]
    readonly_fields = [
        "public_id",
        "endpoint",
        "event",
        "status",
        "attempts",
        "last_status_code",
        "last_error",
        "next_attempt_at",
        "window_started_at",
        "last_attempt_at",
        "delivered_at",
        "created_at",
    ]
    fields = readonly_fields

    @admin.display(description="event type", ordering="event__type")
    def event_type(self, obj):
        return obj.event.type

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_redeliver_permission(self, request):
        return request.user.has_perm("integrations.change_delivery")

    @admin.action(description="Redeliver now", permissions=["redeliver"])
    def redeliver(self, request, queryset):
        done = 0
        for delivery in queryset:
            try:
                services.delivery_redeliver(delivery=delivery)
                done += 1
            except DomainError as exc:
                self.message_user(request, f"{delivery.public_id}: {exc.message}", messages.ERROR)
        if done:
            self.message_user(request, f"{done} deliveries queued to be sent again.", messages.SUCCESS)


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["public_id", "type", "created_at"]
    list_filter = ["type", ("created_at", admin.DateFieldListFilter)]
    search_fields = ["=public_id"]
    readonly_fields = ["public_id", "type", "created_at", "data"]
    fields = readonly_fields
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
