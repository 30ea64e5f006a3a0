"""A central Celery exporter, one per broker, as most Celery shops run one (danihodovic/celery-exporter): it
follows the workers' events and serves their task counters by worker host name, not by pod.

    python3 -m shop.exporter        # metrics on EXPORTER_PORT (9808, celery-exporter's port)

Series and labels are celery-exporter's: celery_task_{sent,received,started,succeeded,failed,retried,rejected,
revoked}_total{name,hostname,queue_name} and celery_worker_up{hostname}. `hostname` is the worker's Celery node
name (celery@<pod name> in a pod), so a gate selects the canary's workers by the pod names Slipway gives them
(samples/canary-policy.yaml). Workers send task events only when told to (`celery worker -E`); without them this
exporter sees workers come and go and no task.
"""
import os
import threading
import time

from prometheus_client import CollectorRegistry, Counter, Gauge, start_http_server

from .celery import app

REGISTRY = CollectorRegistry()
TASK_EVENTS = ("sent", "received", "started", "succeeded", "failed", "retried", "rejected", "revoked")
TASKS = {kind: Counter(f"celery_task_{kind}", f"Tasks {kind}, from the workers' task-{kind} events",
                       ["name", "hostname", "queue_name"], registry=REGISTRY) for kind in TASK_EVENTS}
WORKER_UP = Gauge("celery_worker_up", "1 while the worker's heartbeats arrive, 0 once it left or went silent",
                  ["hostname"], registry=REGISTRY)
# How often the liveness of workers that vanished without a worker-offline event (SIGKILL, OOM) is looked at.
LIVENESS_SECONDS = 5


def count(state, event):
    """Counts one task event under the task's name and queue: only task-sent and task-received carry the name,
    so the events are folded into Celery's own State first, which remembers each task by its id."""
    state.event(event)
    task = state.tasks.get(event["uuid"])
    name = (task.name if task else None) or event.get("name") or "unknown"
    # A task whose task-sent event was not seen (clients send it only with task_send_sent_event) is on the
    # default queue: the shop routes no task elsewhere.
    queue = (task.routing_key if task else None) or app.conf.task_default_queue
    TASKS[event["type"][len("task-"):]].labels(name, event["hostname"], queue).inc()


def follow_workers(state, event):
    state.event(event)
    WORKER_UP.labels(event["hostname"]).set(0 if event["type"] == "worker-offline" else 1)


def mark_silent_workers(state):
    """A worker killed outright sends no worker-offline: it is down once its heartbeats stop (State's expiry)."""
    while True:
        time.sleep(LIVENESS_SECONDS)
        try:
            silent = [hostname for hostname, worker in list(state.workers.items()) if not worker.alive]
        except RuntimeError:  # the event loop changed the table while it was copied: look again next time
            continue
        for hostname in silent:
            WORKER_UP.labels(hostname).set(0)


def main():
    start_http_server(int(os.environ.get("EXPORTER_PORT", "9808")), registry=REGISTRY)
    state = app.events.State()
    threading.Thread(target=mark_silent_workers, args=(state,), daemon=True).start()
    handlers = {f"task-{kind}": lambda event: count(state, event) for kind in TASK_EVENTS}
    handlers.update({kind: lambda event: follow_workers(state, event)
                     for kind in ("worker-online", "worker-heartbeat", "worker-offline")})
    while True:
        # The broker may restart or be unreachable for a while: reconnect instead of ending the exporter.
        try:
            with app.connection() as connection:
                app.events.Receiver(connection, handlers=handlers).capture(limit=None, timeout=None, wakeup=True)
        except (ConnectionError, OSError) as error:
            print(f"exporter: lost the broker ({error}); reconnecting in 5 s", flush=True)
            time.sleep(5)


if __name__ == "__main__":
    main()
