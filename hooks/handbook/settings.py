"""The handbook's settings in mkdocs.yml, ``extra.handbook.<section>.<key>``, declared with their allowed
values and defaults (as mkdocs-static-i18n declares its config) and validated once per build.

Hooks cannot declare config options of their own (mkdocs rejects unknown top-level keys), so the
settings live under ``extra``; mkdocs checks nothing there, hence this table.
"""

from __future__ import annotations

from dataclasses import dataclass

from handbook.problems import Problem

LINK_POLICIES = ("first-in-section", "first-on-page", "every")
LEVELS = ("info", "warning", "error")


@dataclass(frozen=True)
class Option:
    default: object
    kind: type | tuple[type, ...]
    choices: tuple = ()  # allowed values, when the option is one of a few
    help: str = ""

    def problem(self, value) -> str | None:
        if self.choices:
            return None if value in self.choices else f"is '{value}'; allowed: {', '.join(map(str, self.choices))}"
        if not isinstance(value, self.kind) or (isinstance(value, bool) and self.kind is not bool and bool not in self.kind):
            return f"is {value!r}; expected {self.help}"
        return None


SETTINGS: dict[str, dict[str, Option]] = {
    "integrity": {
        "allowed_hosts": Option([], list, help="a list of host names"),
        "pending_translations": Option("info", str, LEVELS),
    },
    "downloads": {
        "pdf": Option(False, bool, help="true or false"),
        "offline_zip": Option("", str, help="a path to the offline site's zip, or empty"),
    },
    "search": {
        # handbook: our worker and its index (hooks/search.py); material: Material's own lunr search, untouched
        # (what `make bench` compares ours with).
        "engine": Option("handbook", str, ("handbook", "material")),
        # Where a reader asks instead when no clause answers the question, per language ({zh: …, en: …}): shown
        # under the verdict 手册中没有直接回答这个问题的条款 / The handbook has no clause that answers this.
        "ask_instead": Option({}, dict, help="a mapping of language to one line, e.g. {zh: 请向办公室综合科咨询, en: …}"),
    },
    "revisions": {
        # The clause record (clause-record.json) of the live release, which `make publish` passes in: the 修订记录
        # lists what changed since it. Empty: compare with sources/clause-registry.yml (handbook/revisions.py).
        "previous_record": Option("", str, help="a path to the live release's clause-record.json, or empty"),
    },
    "serve": {
        # What `mkdocs serve` builds again after a save. site: mkdocs' own rebuild, the whole site with every
        # check. affected: the pages the edit affects, with their own checks (hooks/pipeline.py, "Preview");
        # `make serve` sets it. Whole-site checks stay in builds, which never read this.
        "rebuild": Option("site", str, ("site", "affected")),
    },
    "principles": {
        "link": Option("first-in-section", str, LINK_POLICIES),
        "discovery": Option("info", str, ("info", "warning")),
    },
}


def read_settings(extra: dict, config_text: str = "") -> tuple[dict[str, dict], list[Problem]]:
    """Every section with every option (defaults filled in), and a problem per unknown or wrong value.

    ``config_text`` (mkdocs.yml as written) lets a problem name its line.
    """
    given = (extra or {}).get("handbook") or {}
    problems: list[Problem] = []
    settings = {section: {key: option.default for key, option in options.items()} for section, options in SETTINGS.items()}

    def problem(name: str, message: str, fix: str) -> None:
        key = name.rsplit(".", 1)[-1] or "handbook"
        index = config_text.find(f"{key}:", config_text.find("handbook:"))
        line = config_text.count("\n", 0, index) + 1 if index >= 0 else 0
        option = f"extra.handbook.{name}" if name else "extra.handbook"
        problems.append(Problem("../mkdocs.yml", line, f"{option} {message}", rule="settings", fix=fix))

    if not isinstance(given, dict):
        problem("", "must be a mapping of sections", f"use the sections {', '.join(SETTINGS)}")
        return settings, problems
    for section, values in given.items():
        if section not in SETTINGS:
            problem(str(section), "is not a setting", f"use one of {', '.join(SETTINGS)}")
            continue
        if not isinstance(values, dict):
            problem(section, "must be a mapping of options", f"use the options {', '.join(SETTINGS[section])}")
            continue
        for key, value in values.items():
            option = SETTINGS[section].get(key)
            if option is None:
                problem(f"{section}.{key}", "is not a setting", f"use one of {', '.join(SETTINGS[section])}")
            elif value is None:
                continue  # left empty: the default
            elif reason := option.problem(value):
                problem(f"{section}.{key}", reason, "set one of the allowed values")
            else:
                settings[section][key] = value
    return settings, problems
