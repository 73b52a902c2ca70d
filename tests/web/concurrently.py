"""Work started at the same moment in many threads, each on its own database connection (Django gives every
thread its own), released together by a barrier. Shared by the PostgreSQL concurrency tests."""

import threading

from django.db import connection


def at_once(work, threads: int) -> tuple[list, list]:
    """Run work(i) for i in 0..threads-1 in as many threads, started together; (results, errors)."""
    barrier = threading.Barrier(threads)
    results, errors = [None] * threads, []

    def run(i):
        try:
            barrier.wait(timeout=30)
            results[i] = work(i)
        except BaseException as exc:  # every failure is reported by the test
            errors.append((i, repr(exc)))
        finally:
            connection.close()

    started = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for thread in started:
        thread.start()
    for thread in started:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in started), "a thread did not finish"
    return results, errors
