"""Delete device tokens unused for 60 days and old push delivery records (run nightly)."""

from django.core.management.base import BaseCommand

from passemploi.push.services import STALE_DEVICE_DAYS, drop_stale_device_tokens


class Command(BaseCommand):
    help = "Supprime les jetons d'appareils inutilisés depuis 60 jours."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=STALE_DEVICE_DAYS)

    def handle(self, *args, **options):
        count = drop_stale_device_tokens(options["days"])
        self.stdout.write(f"{count} jeton(s) d'appareil supprimé(s).")
