"""Housekeeping tasks of the API plumbing."""

from celery import shared_task

from config.api.idempotency import idempotency_records_purge


@shared_task
def purge_idempotency_records() -> int:
    """Drop stored idempotent answers older than 24 h."""
    return idempotency_records_purge()
