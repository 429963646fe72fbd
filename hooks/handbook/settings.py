"""The handbook's settings in mkdocs.yml: ``extra.handbook.<section>.<key>``.

Hooks cannot declare config options of their own (mkdocs rejects unknown top-level keys), so
their settings live under ``extra``, where mkdocs checks nothing: the shape is checked here.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError


class SettingsError(PluginError):
    """extra.handbook is not a mapping of sections, or a section not a mapping of settings.

    A PluginError, so mkdocs stops the build with the message and no traceback."""


def handbook_settings(config, section: str) -> dict:
    """The settings of one section, e.g. handbook_settings(config, "integrity"); {} when absent."""
    path = Path(config.config_file_path or "mkdocs.yml")
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    return settings_from(config.extra, section, text)


def settings_from(extra, section: str, config_text: str = "") -> dict:
    """The section's settings from mkdocs.yml's ``extra`` mapping; SettingsError naming the line when malformed."""
    handbook = extra.get("handbook") if hasattr(extra, "get") else None
    if handbook is None:
        return {}
    if not isinstance(handbook, dict):
        raise SettingsError(f"mkdocs.yml:{_line_of(config_text, 'handbook:')}: extra.handbook must be a mapping of "
                            f"sections (principles:, integrity:, downloads: …), not {type(handbook).__name__}; fix its indentation.")
    chosen = handbook.get(section)
    if chosen is None:
        return {}
    if not isinstance(chosen, dict):
        raise SettingsError(f"mkdocs.yml:{_line_of(config_text, f'{section}:')}: extra.handbook.{section} must be a mapping "
                            f"of `key: value` settings, not {type(chosen).__name__}; see the README's settings.")
    return dict(chosen)


def _line_of(text: str, key: str) -> int:
    """The line of ``key`` in the file (1 when it cannot be found, so the message still names a line)."""
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip().startswith(key):
            return number
    return 1
