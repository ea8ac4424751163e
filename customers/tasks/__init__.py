"""Celery tasks of the customers app; each module registers its tasks on import."""

from customers.tasks import auth  # noqa: F401  (registers the auth tasks with Celery workers)
