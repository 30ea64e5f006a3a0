from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.index),
    path("health/", views.health),
    path("work/", views.enqueue_work),
    path("tasks/", views.task_runs),
    path("ticks/", views.beat_ticks),
    path("releases/", views.releases),
    path("", include("django_prometheus.urls")),  # /metrics
]
