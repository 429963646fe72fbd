"""Hook: the language switcher's links to a home page are relative, like every other page's.

mkdocs-static-i18n leaves the configured absolute link ('/' or '/en/') on home pages,
which breaks when the site is served under a sub-path or opened from file://.
"""

from __future__ import annotations

from mkdocs.plugins import event_priority


def site_relative(link: str) -> str:
    """'/en/' -> 'en/', '/' -> '.': a path from the site root, which Material's `url` filter makes page-relative."""
    if not link.startswith("/") or link.startswith("//"):
        return link
    return link.lstrip("/") or "."


# After mkdocs-static-i18n (priority 50) has set this page's alternates.
@event_priority(40)
def on_page_context(context, page, config, nav):
    # static-i18n assigns config.extra.alternate as an attribute, which is what templates read.
    for alternate in getattr(config.extra, "alternate", None) or []:
        alternate["link"] = site_relative(alternate["link"])
    return context
