"""Celery tasks of the customers app; each module registers its tasks on import."""
