from django.core.management.base import BaseCommand

from passemploi.retention.services import purge_all


class Command(BaseCommand):
    help = "Apply the data retention rules (docs/data-retention.md); run nightly."

    def handle(self, *args, **options):
        for label, count in purge_all().items():
            self.stdout.write(f"{label}: {'ÉCHEC' if count < 0 else count}")
