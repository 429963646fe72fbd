"""Which language is being built: mkdocs-static-i18n builds each language on the same config."""

from __future__ import annotations


def current_language(config) -> str:
    return config.theme.get("language", "zh")


def is_default_language(config) -> bool:
    """True in the default language's build (and in a site without static-i18n): checks that concern
    the whole site run there once, not once per language."""
    i18n = config.plugins.get("i18n")
    return i18n is None or current_language(config) == getattr(i18n, "default_language", None)
