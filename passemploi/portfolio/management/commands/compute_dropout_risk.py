from django.core.management.base import BaseCommand

from passemploi.portfolio.risk import refresh_risks


class Command(BaseCommand):
    help = "Recalcule le risque de décrochage de chaque bénéficiaire actif (tâche quotidienne)."

    def handle(self, *args, **options):
        count = refresh_risks()
        self.stdout.write(f"Risque de décrochage calculé pour {count} bénéficiaire(s).")
