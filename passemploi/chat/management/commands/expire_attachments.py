"""Delete the stored bytes of attachments older than 4 months, and unsent uploads."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_datetime

from passemploi.chat.attachments import expire_attachments


class Command(BaseCommand):
    help = "Supprime les fichiers des pièces jointes expirées (4 mois) et des dépôts non envoyés."

    def add_arguments(self, parser):
        parser.add_argument("--now", help="Date de référence ISO 8601 (essais)")

    def handle(self, *args, **options):
        now = None
        if options["now"]:
            now = parse_datetime(options["now"])
            if now is None:
                raise CommandError("--now : date ISO 8601 attendue.")
        counts = expire_attachments(now)
        self.stdout.write(
            f"{counts['expired']} pièce(s) jointe(s) expirée(s), "
            f"{counts['orphans']} dépôt(s) non envoyé(s) supprimé(s)."
        )
