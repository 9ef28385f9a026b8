"""Retry the virus scan of attachments left pending while clamd was unreachable."""

from django.core.management.base import BaseCommand

from passemploi.chat.attachments import scan_pending_attachments


class Command(BaseCommand):
    help = "Analyse les pièces jointes en attente (clamd indisponible lors du dépôt)."

    def handle(self, *args, **options):
        counts = scan_pending_attachments()
        self.stdout.write(
            f"{counts['clean']} saine(s), {counts['infected']} infectée(s), "
            f"{counts['pending']} encore en attente."
        )
