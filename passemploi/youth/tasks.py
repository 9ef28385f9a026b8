"""Background jobs of the young person's app, on the notifications' batch queue. Imported by
YouthConfig.ready() so every worker knows them."""

from passemploi.notifications.queues import batch
from passemploi.youth import export


@batch.task(expires=3600)
def build_export(export_id: str) -> None:
    export.build(export_id)
