"""Celery tasks of the customers app; each module registers its tasks on import."""

from customers.tasks import account_emails, auth  # noqa: F401  (registers the tasks with Celery workers)
