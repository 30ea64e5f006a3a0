"""Django's `migrate`, plus the sample's release record and its failure switch.

With MIGRATION_FAIL=1 it fails before touching the schema, as a release with a broken migration would; on
success it records the release, so a test can check that migrate ran before any pod of the release started.
"""
from django.conf import settings
from django.core.management.base import CommandError
from django.core.management.commands import migrate
from django.utils import timezone


class Command(migrate.Command):
    def handle(self, *args, **options):
        if settings.MIGRATION_FAIL:
            raise CommandError("MIGRATION_FAIL=1: this release's migration fails")
        super().handle(*args, **options)
        from shop.models import Release

        Release.objects.create(version=settings.VERSION, migrated=timezone.now())
