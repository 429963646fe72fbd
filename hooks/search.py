"""Hook: Chinese search that finds what staff type — see handbook/search.py and the worker
docs/assets/javascripts/handbook-search.js, which replaces Material's lunr worker."""

from __future__ import annotations

import hashlib
import json
import logging
import tempfile
from pathlib import Path

from handbook.languages import current_language, is_default_language
from handbook.search import rewrite_index, user_dictionary_words, write_user_dictionary
from mkdocs.plugins import event_priority
from mkdocs.utils import get_relative_url

log = logging.getLogger("mkdocs.hooks.search")
WORKER = "assets/javascripts/handbook-search.js"
CONFIG_START = '<script id="__config" type="application/json">'

state: dict = {"depth": 0, "words": []}


# Before Material's search plugin (priority 0) loads jieba's user dictionary in its on_config.
@event_priority(100)
def on_config(config):
    repo = Path(config.config_file_path).parent
    words = user_dictionary_words(Path(config.docs_dir), repo / "sources" / "search-terms.yml")
    # One file per project, named by a stable digest: hash() differs in every process, which left a
    # new file in the temporary directory at each build.
    digest = hashlib.sha1(str(repo).encode("utf-8")).hexdigest()[:16]
    path = write_user_dictionary(words, Path(tempfile.gettempdir()) / f"handbook-jieba-{digest}.txt")
    search = config.plugins.get("material/search")
    if search is not None:
        search.config.jieba_dict_user = str(path)
    state["words"] = words
    return config


def on_pre_build(config):
    if is_default_language(config):  # the outermost build: a build aborted midway left the count up
        state["depth"] = 0
    state["depth"] += 1  # static-i18n builds the other languages inside this build


def on_post_page(output, page, config):
    """Point Material's search UI at our worker, telling it the page's language."""
    start = output.find(CONFIG_START)
    if start < 0:
        return output
    start += len(CONFIG_START)
    end = output.find("</script>", start)
    settings = json.loads(output[start:end])  # the JSON island Material reads its settings from
    worker = get_relative_url(WORKER, page.url)
    settings["search"] = f"{worker}?lang={current_language(config)}"
    return output[:start] + json.dumps(settings, ensure_ascii=False) + output[end:]


# After static-i18n (priority -100) has merged every language's entries into one index.
@event_priority(-200)
def on_post_build(config):
    state["depth"] -= 1
    if state["depth"]:
        return  # an inner language build: the merged index is written by the outermost one
    path = Path(config.site_dir) / "search" / "search_index.json"
    if not path.exists():
        return
    index = rewrite_index(json.loads(path.read_text(encoding="utf-8")), state["words"])
    text = json.dumps(index, ensure_ascii=False, separators=(",", ":"))
    path.write_text(text, encoding="utf-8")
    # The offline site (Material's offline plugin) reads the index from search_index.js, which the plugin
    # wrote at priority -100 from the index before this rewrite: give it the rewritten one.
    inline = path.with_suffix(".js")
    if inline.exists():
        inline.write_text(f"var __index = {text}", encoding="utf-8")
    log.info(f"[search] {len(index['docs'])} sections, {len(index['config']['handbook']['vocabulary'])} words, "
             f"{path.stat().st_size:,} bytes")
