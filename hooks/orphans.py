"""Hook: every page is reachable from the navigation, or declared hidden on purpose (not_in_nav).

mkdocs' own omitted-files notice names no fix; this one does, per page.
"""

from __future__ import annotations

import logging

from handbook.languages import is_default_language
from handbook.problems import Problem

log = logging.getLogger("mkdocs.hooks.orphans")


def on_nav(nav, config, files):
    if not is_default_language(config):  # the other languages' pages are checked by the parity hook
        return nav
    in_nav = {page.file.src_uri for page in nav.pages}
    for file in files.documentation_pages():
        if file.src_uri in in_nav or file.inclusion.is_not_in_nav():
            continue
        log.error(str(Problem(file.src_uri, 1, "[orphan] the page is in no navigation entry; add it to `nav:` in mkdocs.yml, "
                                               "or list it under `not_in_nav:` with a comment saying why it is hidden.")))
    return nav
