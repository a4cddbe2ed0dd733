"""Send queued xAPI statements that are due (run from cron, or with --loop as a worker)."""

import time

from django.core.management.base import BaseCommand

from home.xapi import xapi_enabled, xapi_flush


class Command(BaseCommand):
    help = "Send queued xAPI statements to the LRS; failures stay queued with backoff."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="Keep running, every --every s.")
        parser.add_argument("--every", type=float, default=60.0)

    def handle(self, *args, **options):
        if not xapi_enabled():
            self.stdout.write("XAPI_ENDPOINT is not set: nothing to send.")
            return
        while True:
            counts = xapi_flush()
            self.stdout.write(
                f"sent {counts['sent']}, retry later {counts['retry']}, "
                f"rejected {counts['rejected']}"
            )
            if not options["loop"]:
                return
            time.sleep(options["every"])
