from django.core.management.base import BaseCommand

from passemploi.stats import demo, services


class Command(BaseCommand):
    help = "Rebuild the weekly statistics from the engagement events (--demo: seed 12 weeks first)."

    def add_arguments(self, parser):
        parser.add_argument("--weeks", type=int, default=None, help="Only the last N weeks.")
        parser.add_argument(
            "--demo", action="store_true", help="Seed 12 weeks of demo engagement events first."
        )

    def handle(self, *args, weeks=None, **options):
        if options["demo"]:
            created = demo.seed_history()
            self.stdout.write(f"{created} événements de démonstration créés.")
        rows = services.aggregate_weeks(weeks)
        self.stdout.write(f"{rows} statistiques hebdomadaires calculées.")
