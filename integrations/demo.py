"""Demo data of the integrations app: one example webhook endpoint, disabled (nothing is sent)."""

from integrations import services
from integrations.events import ORDER_CREATED, ORDER_SHIPPED
from integrations.models import WebhookEndpoint

DEMO_URL = "https://hooks.example.com/mood-mnky"


def seed(report) -> None:
    if not WebhookEndpoint.objects.filter(url=DEMO_URL).exists():
        services.webhook_endpoint_create(url=DEMO_URL, events=[ORDER_CREATED, ORDER_SHIPPED], is_active=False)
    report.note(
        "Webhooks: an example endpoint (disabled) in the admin under Integrations; "
        "see docs/WEBHOOKS.md to point one at a receiver."
    )
