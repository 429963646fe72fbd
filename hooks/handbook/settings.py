"""The handbook's settings in mkdocs.yml: ``extra.handbook.<section>.<key>``.

Hooks cannot declare config options of their own (mkdocs rejects unknown top-level keys), so
their settings live under ``extra``.
"""

from __future__ import annotations


def handbook_settings(config, section: str) -> dict:
    """The settings of one section, e.g. handbook_settings(config, "integrity"); {} when absent."""
    return dict((config.extra.get("handbook") or {}).get(section) or {})
