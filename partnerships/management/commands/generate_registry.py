import time

from django.core.management.base import BaseCommand
from django.db import connection

from partnerships.synthetic import clear_synthetic, generate


class Command(BaseCommand):
    help = (
        "Generate a large synthetic registry for benchmarks (bulk inserts; every row marked as demo data "
        "and named 'Synthetic …'). Replaces an earlier synthetic registry; --clear only removes it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--partnerships", type=int, default=10_000)
        parser.add_argument("--organisations", type=int, default=50_000)
        parser.add_argument("--memberships", type=int, default=200_000)
        parser.add_argument(
            "--seed", type=int, default=1, help="Random seed: the same seed gives the same registry."
        )
        parser.add_argument("--clear", action="store_true", help="Remove the synthetic registry and stop.")

    def handle(self, *args, **options):
        started = time.perf_counter()
        if options["clear"]:
            clear_synthetic()
            self.stdout.write(self.style.SUCCESS("Synthetic registry removed."))
            return
        counts = generate(
            partnerships=options["partnerships"],
            organisations=options["organisations"],
            memberships=options["memberships"],
            seed=options["seed"],
            progress=lambda step: self.stdout.write(f"  {step} …") if options["verbosity"] > 0 else None,
        )
        # Statistics for the planner on the rows just loaded (autovacuum would gather them later): until then
        # PostgreSQL plans the pages' queries as if the tables were nearly empty.
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {counts['partnerships']:,} partnerships, {counts['organisations']:,} organisations and "
                f"{counts['memberships']:,} memberships in {elapsed:.1f} s."
            )
        )
