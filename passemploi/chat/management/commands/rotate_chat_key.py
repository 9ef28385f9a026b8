"""Rewrap every conversation's data key with the first key of CHAT_MASTER_KEYS.

Rotation: put the new key first in CHAT_MASTER_KEYS (keep the old one after it), deploy, run this
command, then remove the old key.
"""

from django.core.management.base import BaseCommand

from passemploi.chat.services import rotate_master_key


class Command(BaseCommand):
    help = "Rechiffre les clés des conversations avec la clé maîtresse courante."

    def handle(self, *args, **options):
        count = rotate_master_key()
        self.stdout.write(f"{count} clé(s) de conversation rechiffrée(s).")
