"""Hook: Chinese search that finds what staff type — see handbook/search.py and the worker
docs/assets/javascripts/handbook-search.js, which replaces Material's lunr worker.

The jieba dictionary and the index rewrite are steps of hooks/pipeline.py (they read the model);
here each page is pointed at our worker.
"""

from __future__ import annotations

import json

from handbook import builds
from handbook.languages import current_language
from mkdocs.utils import get_relative_url

WORKER = "assets/javascripts/handbook-search.js"
CONFIG_START = '<script id="__config" type="application/json">'


def on_post_page(output, page, config):
    """Point Material's search UI at our worker, telling it the page's language."""
    start = output.find(CONFIG_START)
    build = builds.current()  # its settings, validated once (hooks/pipeline.py)
    if start < 0 or build is None or build.settings["search"]["engine"] != "handbook":
        return output
    start += len(CONFIG_START)
    end = output.find("</script>", start)
    settings = json.loads(output[start:end])  # the JSON island Material reads its settings from
    worker = get_relative_url(WORKER, page.url)
    settings["search"] = f"{worker}?lang={current_language(config)}"
    return output[:start] + json.dumps(settings, ensure_ascii=False) + output[end:]
