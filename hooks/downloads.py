"""Hook: a release's downloads — the PDFs of each language (hooks/handbook/pdf.py) and the offline
site's zip — written into downloads/ and linked from the home page.

Switched on by `make release` (tools/release.py) through extra.handbook.downloads in mkdocs.yml;
an ordinary build and `make serve` skip them (the PDFs take a while) and show no download links.
"""

from __future__ import annotations

import logging
from pathlib import Path

from handbook.downloads import DOWNLOADS, OFFLINE_ZIP, downloads_section, editions_of, replace_marker
from handbook.languages import current_language, is_default_language
from handbook.pdf import pdf_name, render_pdf
from handbook.settings import handbook_settings
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

log = logging.getLogger("mkdocs.hooks.downloads")

# One entry per language build in progress (static-i18n nests them): its language, the directory its
# pages are written to (site/ or site/en/; config.site_dir stays the site's root throughout), its PDFs.
builds: list[tuple[str, Path, list[str]]] = []


def _settings(config) -> tuple[bool, Path | None]:
    settings = handbook_settings(config, "downloads")
    offline_zip = settings.get("offline_zip") or None
    return bool(settings.get("pdf")), Path(offline_zip) if offline_zip else None


@event_priority(-200)
def on_files(files, config):
    home = min((f for f in files.documentation_pages() if Path(f.dest_uri).name == "index.html"),
               key=lambda f: len(f.dest_uri), default=None)
    language_dir = Path(home.abs_dest_path).parent if home else Path(config.site_dir)
    editions = editions_of([f.src_uri for f in files.documentation_pages()])
    builds.append((current_language(config), language_dir, editions))
    _, offline_zip = _settings(config)
    if offline_zip is not None and is_default_language(config):
        if not offline_zip.is_file():
            log.error(f"mkdocs.yml: extra.handbook.downloads.offline_zip: no file {offline_zip}; "
                      "build the release with `make release`, which makes the zip first.")
        else:
            files.append(File.generated(config, f"{DOWNLOADS}/{OFFLINE_ZIP}", abs_src_path=str(offline_zip)))
    return files


def on_page_markdown(markdown, page, config, files):
    if page.file.src_uri.split(".")[0] != "index" or "/" in page.file.src_uri:
        return markdown
    pdf, offline_zip = _settings(config)
    editions = builds[-1][2] if pdf and builds else []
    section = downloads_section(current_language(config), is_default_language(config), editions,
                                offline_zip is not None)
    return replace_marker(markdown, section)


# After static-i18n (-100) has built the other languages, before the link check (listed after this hook),
# so the home page's links to the PDFs are checked against files that exist.
@event_priority(-200)
def on_post_build(config):
    if not builds:
        return
    language, site_dir, editions = builds.pop()
    pdf, _ = _settings(config)
    if not pdf:
        return
    for edition in editions:
        try:
            render_pdf(site_dir, language, edition, site_dir / DOWNLOADS / pdf_name(language, edition),
                       progress=log.info, warn=log.warning)
        except (OSError, ValueError) as error:
            log.error(f"[pdf] {language} {edition}: {error}")
