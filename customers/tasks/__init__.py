"""Celery tasks of the customers app; each module registers its tasks on import."""

from customers.tasks import account_emails  # noqa: E402,F401  (registers the task in workers)
