"""The Prometheus metrics the contract names, on the server's own registry."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, disable_created_metrics

disable_created_metrics()  # only the series the contract names: no `*_created` timestamps beside them

REGISTRY = CollectorRegistry()

DELIVERIES = Counter(
    "doi_bot_deliveries", "Webhook deliveries by event and outcome", ["event", "outcome"], registry=REGISTRY
)
QUEUE_DEPTH = Gauge("doi_bot_queue_depth", "Jobs queued and not yet started", registry=REGISTRY)
REVIEW_SECONDS = Histogram(
    "doi_bot_review_seconds",
    "Seconds from delivery to the completed check run",
    buckets=(0.25, 0.5, 1, 1.5, 2, 3, 5, 10, 30, 60, 120),
    registry=REGISTRY,
)
GITHUB_REQUESTS = Counter(
    "doi_bot_github_requests",
    "GitHub API requests by method and status",
    ["method", "status"],
    registry=REGISTRY,
)
RATE_LIMIT_REMAINING = Gauge(
    "doi_bot_github_rate_limit_remaining", "GitHub API requests left in the current window", registry=REGISTRY
)
