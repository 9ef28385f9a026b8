"""Nightly job (until the task queue exists): in-progress actions over 4 months become NON_SNP."""

from django.core.management.base import BaseCommand

from passemploi.actions.services import autoqualify_stale_actions


class Command(BaseCommand):
    help = "Qualifie « non SNP » les actions encore en cours quatre mois après leur création."

    def handle(self, *args, **options):
        count = autoqualify_stale_actions()
        self.stdout.write(f"{count} action(s) qualifiée(s) automatiquement.")
