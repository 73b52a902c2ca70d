"""Locust's statistics as the load test reports them: per page requests, failures, median, p95 and p99 in ms and
requests a second over the whole run, the aggregate last. Taken when locust quits, after its users have finished
the requests they had under way, so that a request completed in the stop timeout is counted too. Locust keeps
times above 100 ms to two significant digits."""


def page_rows(stats) -> list[dict]:
    """Rows from a locust RequestStats: each page (by name), then the aggregate."""
    entries = sorted(stats.entries.values(), key=lambda e: e.name)
    return [_row(e.name, e) for e in entries] + [_row("Aggregated", stats.total)]


def _row(name: str, entry) -> dict:
    measured = entry.num_requests > 0
    return {"page": name, "requests": entry.num_requests, "failures": entry.num_failures,
            "median_ms": entry.median_response_time if measured else None,
            "p95_ms": entry.get_response_time_percentile(0.95) if measured else None,
            "p99_ms": entry.get_response_time_percentile(0.99) if measured else None,
            "per_second": round(entry.total_rps, 2)}


def failure_rows(stats) -> list[dict]:
    return [{"page": e.name, "error": str(e.error), "occurrences": e.occurrences} for e in stats.errors.values()]
