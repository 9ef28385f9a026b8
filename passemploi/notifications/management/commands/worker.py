"""Run the task workers and the periodic schedule.

    manage.py worker                     # both queues, one consumer process each
    manage.py worker --queue urgent      # only reminders and real-time notices
    manage.py worker --queue batch -w 4  # four batch workers

Workers are processes by default: a task past its time limit is interrupted (SIGALRM), and a
stuck batch job never holds the urgent queue, which has its own consumer.
"""

import signal
import subprocess
import sys

from django.core.management.base import BaseCommand
from django.db import connections

from passemploi.notifications.queues import QUEUE_NAMES, QUEUES


class Command(BaseCommand):
    help = "Exécute les tâches de fond (files urgent et batch) et leur planification."
    requires_system_checks = []  # a worker serves no URL: start even while pages are broken

    def add_arguments(self, parser):
        parser.add_argument("--queue", choices=[*QUEUE_NAMES, "all"], default="all")
        parser.add_argument("-w", "--workers", type=int, default=2, help="workers par file")
        parser.add_argument(
            "-k",
            "--worker-type",
            choices=["process", "thread"],
            default="process",
            help="process : limite de temps par tâche ; thread : plus léger",
        )
        parser.add_argument(
            "--no-periodic",
            action="store_true",
            help="ne lance pas la planification (à ne lancer qu'une fois par file)",
        )

    def handle(self, *args, queue, workers, worker_type, no_periodic, **options):
        if queue == "all":
            return self._both(workers, worker_type, no_periodic)
        from passemploi.notifications import tasks  # noqa: F401 - registers tasks and schedule

        # Forked workers open their own connections: the database's, and the SQLite queue's
        # (one SQLite handle must never be shared across processes; Redis pools handle forks).
        connections.close_all()
        close = getattr(QUEUES[queue].storage, "close", None)
        if close is not None:
            close()
        consumer = QUEUES[queue].create_consumer(
            workers=workers,
            worker_type=worker_type,
            periodic=not no_periodic,
            check_worker_health=True,
            max_delay=1.0,
        )
        self.stdout.write(f"File {queue} : {workers} worker(s) {worker_type}.")
        consumer.run()

    def _both(self, workers, worker_type, no_periodic):
        """One child process per queue; a signal to this process stops both."""
        command = [sys.argv[0], "worker"] if sys.argv[0].endswith("manage.py") else None
        base = [sys.executable, *(command or ["-m", "django", "worker"])]
        extra = ["-w", str(workers), "-k", worker_type] + (["--no-periodic"] if no_periodic else [])
        children = [subprocess.Popen([*base, "--queue", name, *extra]) for name in QUEUE_NAMES]  # noqa: S603

        def stop(signum, frame):
            for child in children:
                if child.poll() is None:
                    child.send_signal(signal.SIGINT)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        codes = [child.wait() for child in children]
        if any(codes):
            sys.exit(max(codes))
