from django.core.management.base import BaseCommand

from passemploi.offers.generate import SOURCE, generate_offers
from passemploi.offers.models import Offer


class Command(BaseCommand):
    help = "Génère un catalogue d'offres réaliste (communes réelles pondérées par population)."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=3000)
        parser.add_argument(
            "--seed", type=int, default=None, help="Pour un catalogue reproductible"
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Ne rien faire si des offres générées existent déjà (make run)",
        )

    def handle(self, *args, count=3000, seed=None, if_empty=False, **options):
        if if_empty and Offer.objects.filter(source=SOURCE).exists():
            self.stdout.write("Des offres générées existent déjà.")
            return
        created = generate_offers(count, seed=seed)
        self.stdout.write(f"{created} offres générées.")
