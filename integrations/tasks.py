"""Celery tasks of webhook delivery.

`webhook_deliveries_send` runs after an event (or a redelivery) commits; `webhook_deliveries_sweep`
runs every minute from beat and sends every pending delivery that is due: retries, and anything a
lost enqueue or a killed worker left behind (tasks are acknowledged late, deliveries claimed with a
lease). Without a broker (development, tests, the fuzz stage) Celery runs tasks in the request
that enqueued them, so there an attempt gets a short timeout and only a few deliveries of the
event are attempted at once; the rest stay pending for the sweep.
"""

import time

from celery import shared_task
from django.conf import settings

from integrations import services

SWEEP_BATCH = 20
SWEEP_BUDGET_SECONDS = 50  # stop before the next beat tick starts another sweep


@shared_task(bind=True)
def webhook_deliveries_send(self, *, event_id: int | None = None, delivery_id: int | None = None) -> int:
    """Send the due deliveries of one event, or one delivery."""
    if self.request.is_eager:
        return services.deliveries_send_due(
            event_id=event_id,
            delivery_id=delivery_id,
            limit=settings.WEBHOOK_EAGER_MAX_DELIVERIES,
            timeout=settings.WEBHOOK_EAGER_TIMEOUT,
        )
    return services.deliveries_send_due(event_id=event_id, delivery_id=delivery_id, limit=1000)


@shared_task
def webhook_deliveries_sweep() -> int:
    """Send every pending delivery whose time has come, in batches, for at most ~50 s."""
    started, sent = time.monotonic(), 0
    while time.monotonic() - started < SWEEP_BUDGET_SECONDS:
        batch = services.deliveries_send_due(limit=SWEEP_BATCH)
        sent += batch
        if batch < SWEEP_BATCH:
            break
    return sent
