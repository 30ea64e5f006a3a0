from django.db import models


class TaskRun(models.Model):
    """One `work` task: recorded when it starts and when it finishes, so a test can see none was lost."""

    task_id = models.CharField(max_length=64, unique=True)
    worker = models.CharField(max_length=253)
    started = models.DateTimeField()
    finished = models.DateTimeField(null=True)


class BeatTick(models.Model):
    """One periodic tick as it ran: which scheduler sent it and when a worker ran it."""

    beat = models.CharField(max_length=253)
    ran = models.DateTimeField()


class Release(models.Model):
    """One successful `manage.py migrate` of a release: when it ran, to compare with its pods' start."""

    version = models.CharField(max_length=64)
    migrated = models.DateTimeField()
