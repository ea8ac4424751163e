"""Scheduled loyalty jobs (Celery beat): unlocking points after the return window, and expiry."""

from celery import shared_task


@shared_task
def release_points() -> int:
    from loyalty.services import loyalty_points_release

    return loyalty_points_release()


@shared_task
def expire_points() -> int:
    from loyalty.services import loyalty_points_expire

    return loyalty_points_expire()
