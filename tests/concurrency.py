"""Run one piece of work in several threads at once, each on its own database connection."""

import threading

from django.db import connection


def run_concurrently(count: int, work) -> list:
    """Start `count` threads together (a barrier) and return each `work(index)` result or exception."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def run(index):
        try:
            barrier.wait(timeout=10)
            results[index] = work(index)
        except Exception as exc:  # noqa: BLE001 - recorded for the assertions
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results
