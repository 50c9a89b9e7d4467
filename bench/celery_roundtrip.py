"""Celery round trip in a generated project: enqueue → worker → result, with the default settings.

Run inside the project's environment with a worker already running; prints one JSON object.
Uses the project's own periodic task (a small DELETE), so the number includes a real DB query.
"""

import json
import statistics
import sys
import time

from app.items.tasks import PurgeDoneItems, purge_done_items


def main(sequential: int, burst: int) -> None:
    payload = PurgeDoneItems(older_than_days=365)
    purge_done_items.enqueue(payload).get(timeout=60)  # warm: worker connected, engine created

    latencies = []
    for _ in range(sequential):
        start = time.perf_counter()
        purge_done_items.enqueue(payload).get(timeout=30)
        latencies.append((time.perf_counter() - start) * 1000)

    start = time.perf_counter()
    results = [purge_done_items.enqueue(payload) for _ in range(burst)]
    for result in results:
        result.get(timeout=120)
    elapsed = time.perf_counter() - start

    quantiles = statistics.quantiles(latencies, n=100)
    print(
        json.dumps(
            {
                "round_trip_p50_ms": round(statistics.median(latencies), 2),
                "round_trip_p99_ms": round(quantiles[98], 2),
                "round_trips": sequential,
                "burst_tasks": burst,
                "tasks_per_second": round(burst / elapsed, 1),
            }
        )
    )


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
