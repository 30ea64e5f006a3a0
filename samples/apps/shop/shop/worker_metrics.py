"""Task counters exported by each worker itself, on WORKER_METRICS_PORT (8000, the web port: workers serve no
web, so one scrape rule covers every pod of the app).

A central celery-exporter labels series by Celery host name, which says nothing about the canary; a worker
that exports its own counters is scraped as a pod, so Prometheus puts the pod's `app` and `track` labels on
them and a gate can compare the canary workers with the stable ones. Workers run the threads pool (one
process), so the counters need no multiprocess mode.
"""
from celery.signals import celeryd_init, task_failure, task_received, task_success
from prometheus_client import CollectorRegistry, Counter, start_http_server

# Its own registry: gunicorn imports this module too, and its /metrics must not show idle task counters.
REGISTRY = CollectorRegistry()
RECEIVED = Counter("celery_task_received", "Tasks this worker received", ["name"], registry=REGISTRY)
SUCCEEDED = Counter("celery_task_succeeded", "Tasks this worker ran to success", ["name"], registry=REGISTRY)
FAILED = Counter("celery_task_failed", "Tasks this worker ran that raised", ["name"], registry=REGISTRY)


@celeryd_init.connect
def serve_metrics(**_):
    from django.conf import settings

    start_http_server(settings.WORKER_METRICS_PORT, registry=REGISTRY)


@task_received.connect
def count_received(request=None, **_):
    RECEIVED.labels(request.task_name).inc()


@task_success.connect
def count_succeeded(sender=None, **_):
    SUCCEEDED.labels(sender.name).inc()


@task_failure.connect
def count_failed(sender=None, **_):
    FAILED.labels(sender.name).inc()
