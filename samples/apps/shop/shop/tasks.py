import socket
import time

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from .models import BeatTick, TaskRun


@shared_task(bind=True)
def work(self, seconds):
    """A task that takes `seconds`: long ones show whether a worker rollout lets running tasks finish."""
    if settings.TASK_FAIL:
        raise RuntimeError("TASK_FAIL=1: this release's tasks fail")
    TaskRun.objects.update_or_create(task_id=self.request.id,
                                     defaults={"worker": socket.gethostname(), "started": timezone.now()})
    time.sleep(seconds)
    TaskRun.objects.filter(task_id=self.request.id).update(finished=timezone.now())


@shared_task
def tick(beat):
    BeatTick.objects.create(beat=beat, ran=timezone.now())
