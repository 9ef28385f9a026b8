from django.core.management.base import BaseCommand

from passemploi.offers.maintenance import remove_expired_offers


class Command(BaseCommand):
    help = "Supprime les offres expirées qu'aucun jeune ne suit (tâche quotidienne)."

    def handle(self, *args, **options):
        self.stdout.write(remove_expired_offers() or "Aucune offre expirée à supprimer.")
