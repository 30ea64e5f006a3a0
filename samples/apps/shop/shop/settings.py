"""Settings of the sample shop: everything from the environment, as a twelve-factor app on Kubernetes has it.

The behaviour switches at the end make a "bad release" a real release of the same code with one variable set.
"""
import os
import socket

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "sample-only-not-a-secret")
DEBUG = False


def own_address():
    """The pod's IP (the kubelet writes its host name into /etc/hosts), or nothing outside a pod."""
    try:
        return [socket.gethostbyname(socket.gethostname())]
    except OSError:
        return []


# The names the shop answers to; CommonMiddleware answers any other Host with 400. The web probes send
# `Host: localhost` (web.health.host); Prometheus scrapes each pod by its IP, so the pod's own address is one.
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "localhost").split(",") + own_address()
INSTALLED_APPS = ["django_prometheus", "shop"]
# django-prometheus counts applied migrations when Django starts, by default: every process (gunicorn, each Celery
# worker and beat, every `celery inspect ping` of a worker's probe) would then need PostgreSQL to start at all, and
# a worker that started while the database was slow ended with exit code 1 (connect_timeout below). Migrations
# run before any pod of a release starts (`migrate`), so the count says nothing here.
PROMETHEUS_EXPORT_MIGRATIONS = False
MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]
ROOT_URLCONF = "shop.urls"
WSGI_APPLICATION = "shop.wsgi.application"
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# DATABASE_*, not POSTGRES_*: Kubernetes gives every pod POSTGRES_PORT=tcp://<ip>:5432 and the like for a
# Service named `postgres` in its namespace (service links), which a setting read from POSTGRES_PORT breaks on.
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "HOST": os.environ.get("DATABASE_HOST", "postgres"),
        "PORT": os.environ.get("DATABASE_PORT", "5432"),
        "NAME": os.environ.get("DATABASE_NAME", "shop"),
        "USER": os.environ.get("DATABASE_USER", "shop"),
        "PASSWORD": os.environ.get("DATABASE_PASSWORD", ""),
        "CONN_MAX_AGE": 60,
        "OPTIONS": {"connect_timeout": 3},
    }
}

LOGGING = {
    "version": 1,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
}

CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "redis://redis:6379/0")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A task is acknowledged when it finishes, so a worker stopped mid-task hands it back instead of losing it.
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
WORKER_METRICS_PORT = int(os.environ.get("WORKER_METRICS_PORT", "8000"))
BEAT_INTERVAL_SECONDS = float(os.environ.get("BEAT_INTERVAL_SECONDS", "10"))
CELERY_BEAT_SCHEDULE = {
    # The beat's host name travels with each tick, so the record shows which scheduler sent it.
    "tick": {"task": "shop.tasks.tick", "schedule": BEAT_INTERVAL_SECONDS, "args": (socket.gethostname(),)},
}

# Behaviour switches for tests and demos.
VERSION = os.environ.get("VERSION", "1")
ERROR_RATE = float(os.environ.get("ERROR_RATE", "0"))           # share of requests to / answered with 500
EXTRA_LATENCY_MS = int(os.environ.get("EXTRA_LATENCY_MS", "0"))  # added to every request to /
TASK_FAIL = os.environ.get("TASK_FAIL", "") == "1"               # every `work` task raises
MIGRATION_FAIL = os.environ.get("MIGRATION_FAIL", "") == "1"   # `manage.py migrate` fails
