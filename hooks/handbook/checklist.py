"""The onboarding checklist (a pymdownx task list): a name for each checkbox.

pymdownx.tasklist wraps the checkbox in a <label> that holds only the drawn box, so the control has no
accessible name (axe-core: `label`, critical). Its item's own text names it here, at build time, so the
page is labelled with or without JavaScript.
"""

from __future__ import annotations


def name_task_list_checkboxes(root) -> None:
    """Give each task-list checkbox under ``root`` (an lxml tree) ``aria-label``: the text of its list item,
    nested lists left out."""
    for item in root.iter("li"):
        if "task-list-item" not in (item.get("class") or "").split():
            continue
        box = next(iter(item.xpath("./label/input[@type='checkbox'] | ./input[@type='checkbox']")), None)
        if box is None:
            continue
        words = item.xpath("./text() | ./*[not(self::ul or self::ol or self::label)]//text()")
        box.set("aria-label", " ".join("".join(words).split()))
