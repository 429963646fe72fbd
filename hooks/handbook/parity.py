"""Translation parity: every Chinese page has its English counterpart and vice versa, with the
same clause IDs and paragraph anchors once translated (a stand-in says ``translation: pending``).

Checked from the two languages' models once both are built (hooks/pipeline.py, at the end of the
site build): static-i18n's English build holds each page's .en.md file, or the Chinese file when
there is no counterpart (fallback_to_default).
"""

from __future__ import annotations

from dataclasses import dataclass

from handbook.model import Handbook
from handbook.problems import Problem


@dataclass
class ParityReport:
    problems: list[Problem]
    pending: list[str]  # Chinese pages whose English counterpart is a stand-in


def check_parity(original: Handbook, translation: Handbook) -> ParityReport:
    problems, pending = [], []
    suffix = f".{translation.language}.md"
    for uri, page in sorted(original.pages.items()):
        counterpart = translation.pages.get(uri)
        english_file = uri[: -len(".md")] + suffix
        if counterpart is None or not counterpart.src_uri.endswith(suffix):
            problems.append(Problem(page.src_uri, 1, f"no English counterpart {english_file}", rule="parity",
                                    fix="run `make stand-ins` to add a translation-pending page, then translate it"))
            continue
        if counterpart.meta.get("translation") == "pending":
            pending.append(page.src_uri)
            continue
        chinese_anchors, english_anchors = original.anchors.get(uri, set()), translation.anchors.get(uri, set())
        for anchor in sorted(chinese_anchors - english_anchors):
            problems.append(Problem(english_file, 1, f"anchor #{anchor} of {page.src_uri} is missing here", rule="parity",
                                    fix="give the English page the same clause IDs and paragraphs"))
        for anchor in sorted(english_anchors - chinese_anchors):
            problems.append(Problem(english_file, 1, f"anchor #{anchor} is not in {page.src_uri}", rule="parity",
                                    fix="remove it or add it to the Chinese page"))
    for uri, page in sorted(translation.pages.items()):
        if page.src_uri.endswith(suffix) and uri not in original.pages:
            problems.append(Problem(page.src_uri, 1, f"English page without a Chinese original {uri}", rule="parity",
                                    fix="add the original or remove this page"))
    return ParityReport(problems, pending)
