from django.core.management.base import BaseCommand

from passemploi.geo.loader import load_communes


class Command(BaseCommand):
    help = "Charge les communes françaises depuis le fichier livré avec l'application."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Recharger même si déjà chargé")

    def handle(self, *args, force=False, **options):
        count = load_communes(force=force)
        if count:
            self.stdout.write(f"{count} communes chargées.")
        else:
            self.stdout.write("Communes déjà chargées.")
