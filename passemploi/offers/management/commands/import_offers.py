from django.core.management.base import BaseCommand, CommandError

from passemploi.offers.connectors import sources
from passemploi.offers.connectors.http import ConnectorError
from passemploi.offers.connectors.importer import import_offers


class Command(BaseCommand):
    help = (
        "Importe des offres d'un partenaire dans le catalogue, par exemple : "
        "import_offers francetravail --param departement=75 --param motsCles=vendeur"
    )

    def add_arguments(self, parser):
        parser.add_argument("source", choices=sorted(sources()))
        parser.add_argument(
            "--param",
            action="append",
            default=[],
            metavar="NOM=VALEUR",
            help="Un paramètre de recherche documenté de la source (répétable)",
        )
        parser.add_argument("--limit", type=int, default=None, help="Nombre maximal d'offres")

    def handle(self, *args, source, param, limit, **options):
        params = {}
        for item in param:
            name, sep, value = item.partition("=")
            if not sep or not name:
                raise CommandError(f"Paramètre mal formé : {item} (attendu NOM=VALEUR)")
            params[name] = value
        connector = sources()[source]()
        try:
            report = import_offers(
                connector.source, connector.fetch(limit=limit, **params), connector.to_fields
            )
        except (ConnectorError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{source} : {report}")
