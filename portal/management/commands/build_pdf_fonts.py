"""Write the PDFs' Traditional Chinese font subsets into settings.PDF_FONT_DIR."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from portal.pdf import fonts


class Command(BaseCommand):
    help = (
        "Cut Noto Sans CJK TC (Debian's fonts-noto-cjk) down to Big5 plus every character "
        "of the project's documents, one file per weight, into PDF_FONT_DIR "
        "(portal/pdf/fonts.py says why), the documents' glyphs numbered first. Keeps a face "
        "already built while it covers every character of the documents and numbers their "
        "glyphs first (rebuilds it when a template or the catalogue brought a new one, or "
        "it was built before the glyphs were ordered), unless --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="Rebuild existing files.")
        parser.add_argument(
            "--source-dir",
            default=str(fonts.SYSTEM_FONT_DIR),
            help=f"Where the Noto CJK collections are (default {fonts.SYSTEM_FONT_DIR}).",
        )

    def handle(self, *args, **options) -> None:
        source_dir = Path(options["source_dir"])
        characters = fonts.document_characters()
        for face in fonts.FACES:
            target = fonts.font_path(face)
            if target.is_file() and not options["force"]:
                missing = fonts.missing_characters(target, characters)
                if missing:
                    self.stdout.write(f"{target}: lacks {''.join(sorted(missing))}, rebuilding")
                elif not fonts.glyphs_in_order(target):
                    self.stdout.write(f"{target}: documents' glyphs not first, rebuilding")
                else:
                    self.stdout.write(f"{target}: present, covers the documents, kept")
                    continue
            if not (source_dir / face.source).is_file():
                raise CommandError(
                    f"{source_dir / face.source} is missing: install Debian's fonts-noto-cjk."
                )
            started = time.perf_counter()
            written = fonts.build(face, source_dir=source_dir)
            self.stdout.write(
                f"{written}: {written.stat().st_size / 2**20:.1f} MiB "
                f"in {time.perf_counter() - started:.0f} s"
            )
