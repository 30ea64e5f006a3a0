import random
import time

import redis
from django.conf import settings
from django.db import connection
from django.http import HttpResponse, JsonResponse

from .models import BeatTick, Release, TaskRun
from .tasks import work


def index(request):
    if settings.EXTRA_LATENCY_MS:
        time.sleep(settings.EXTRA_LATENCY_MS / 1000)
    if random.random() < settings.ERROR_RATE:
        return HttpResponse(f"shop {settings.VERSION}: injected failure\n", status=500)
    return HttpResponse(f"shop {settings.VERSION}\n")


def health(request):
    """Ready only when both backing services answer: a pod that cannot reach them must not get traffic."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_timeout=2).ping()
    except Exception as error:  # any failure of either is "not ready", with the reason for the probe's event
        return HttpResponse(f"unhealthy: {error}\n", status=503)
    return HttpResponse("ok\n")


def enqueue_work(request):
    seconds = float(request.GET.get("seconds", "1"))
    return JsonResponse({"task": work.delay(seconds).id})


def task_runs(request):
    runs = TaskRun.objects.all()
    return JsonResponse({"started": runs.count(), "finished": runs.exclude(finished=None).count(),
                         "unfinished": [run.task_id for run in runs.filter(finished=None)],
                         "workers": sorted({run.worker for run in runs})})


def beat_ticks(request):
    return JsonResponse({"ticks": [{"beat": t.beat, "ran": t.ran.timestamp()} for t in BeatTick.objects.order_by("ran")]})


def releases(request):
    return JsonResponse({"releases": [{"version": r.version, "migrated": r.migrated.timestamp()}
                                      for r in Release.objects.order_by("migrated")]})
