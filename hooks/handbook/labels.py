"""The handbook's interface strings: one table per language, overrides/partials/hb-labels/<language>.html.

The tables are Jinja templates, as Material keeps its own strings, so templates import them directly;
the features that write Markdown or HTML in Python read the same table here.
"""

from __future__ import annotations

from pathlib import Path

import jinja2

OVERRIDES = Path(__file__).resolve().parents[2] / "overrides"
TABLE = "partials/hb-labels/{language}.html"


def label_table(language: str, environment: jinja2.Environment | None = None) -> dict:
    """The table of ``language`` (English for a language without one), from the theme's environment
    when a build has one (it also finds the overrides), else from overrides/ directly."""
    environment = environment or jinja2.Environment(loader=jinja2.FileSystemLoader(str(OVERRIDES)))
    try:
        template = environment.get_template(TABLE.format(language=language))
    except jinja2.TemplateNotFound:
        template = environment.get_template(TABLE.format(language="en"))
    return template.module.labels
