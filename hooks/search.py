"""Hook: Chinese search that finds what staff type — see handbook/search.py and the worker
docs/assets/javascripts/handbook-search.js, which replaces Material's lunr worker.

The jieba dictionary and the index rewrite are steps of hooks/pipeline.py (they read the model);
here each page is pointed at our worker.
"""

from __future__ import annotations

import json
from urllib.parse import urljoin

from handbook import builds
from handbook.languages import current_language
from handbook.search import EDITION_PREFIXES
from mkdocs.utils import get_relative_url

WORKER = "assets/javascripts/handbook-search.js"
CONFIG_START = '<script id="__config" type="application/json">'


def on_post_page(output, page, config):
    """Point Material's search UI at our worker, telling it the page's language, and at its edition's own index:
    Material loads search/search_index.json from the page's base, so an English page's base becomes the English
    edition's root (handbook/search.py: split_editions). The site's root, where the server takes the questions
    no clause answered (handbook-answer.js), stays in ``site_root``."""
    language = current_language(config)
    prefix = EDITION_PREFIXES.get(language, "")
    return with_our_worker(output, language, lambda settings: get_relative_url(WORKER, page.url),
                           lambda settings: get_relative_url(prefix, page.url) if prefix and page.url.startswith(prefix) else None)


def on_post_template(output, template_name, config):
    """The 404 page too (each language's; hooks/not_found.py writes the English one to /en/404.html). It is served at
    any path, so Material gives it the site's absolute root as its base."""
    if template_name != "404.html":
        return output
    language = current_language(config)
    prefix = EDITION_PREFIXES.get(language, "")
    return with_our_worker(output, language, lambda settings: urljoin(settings["base"], WORKER),
                           lambda settings: urljoin(settings["base"], prefix) if prefix else None)


def with_our_worker(output: str, language: str, worker_url, edition_base) -> str:
    """``output`` with its settings (the JSON island Material reads them from) naming our worker and the edition's
    base; ``worker_url`` and ``edition_base`` take the page's settings (``edition_base`` None: the base stays)."""
    start = output.find(CONFIG_START)
    build = builds.current()  # its settings, validated once (hooks/pipeline.py)
    if start < 0 or build is None or build.settings["search"]["engine"] != "handbook":
        return output
    start += len(CONFIG_START)
    end = output.find("</script>", start)
    settings = json.loads(output[start:end])
    settings["search"] = f"{worker_url(settings)}?lang={language}"
    settings["site_root"] = settings.get("base", ".")
    base = edition_base(settings)
    if base is not None:
        settings["base"] = base
    return output[:start] + json.dumps(settings, ensure_ascii=False) + output[end:]
