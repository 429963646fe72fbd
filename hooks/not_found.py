"""Hook: the 404 page in each language — Chinese at /404.html, English at /en/404.html.

404.html is a theme template, rendered by every language's build into the site root, so the
English build overwrote the Chinese page, and it kept the language switcher (and Material's
<link rel="alternate">, which make it fetch a missing sitemap.xml) of whichever page was rendered
last. Here each language's page switches between the two home pages, the Chinese page stays at the
root and the English one is written to /en/404.html (deploy/nginx/handbook.conf serves it under /en/).
"""

from __future__ import annotations

import copy
from pathlib import Path

from handbook import builds
from handbook.html import drop_alternate_links
from handbook.languages import current_language, is_default_language

TEMPLATE = "404.html"


def on_template_context(context, template_name, config):
    # static-i18n keeps the switcher's site-wide links (one per language home) as extra_alternate.
    homes = getattr(config.plugins.get("i18n"), "extra_alternate", None)
    if template_name == TEMPLATE and homes:
        config.extra.alternate = copy.deepcopy(homes)
    return context


def on_post_template(output_content, template_name, config):
    if template_name != TEMPLATE:
        return output_content
    page = drop_alternate_links(output_content)
    site = builds.site()  # the default language's 404 page is kept for the whole site build
    if is_default_language(config) or site.not_found_page is None:
        site.not_found_page = page
        return page
    # Another language (built after the default one): its page goes under its own prefix, and the
    # root keeps the default language's page.
    target = Path(config.site_dir) / current_language(config) / TEMPLATE
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(page, encoding="utf-8")
    return site.not_found_page
