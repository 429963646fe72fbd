"""Hostile text in front matter is shown as text wherever the hooks render it, never as markup."""

from __future__ import annotations

from pathlib import Path

from conftest import make_fixture_site, run_mkdocs_build, speech_page
from handbook.speech import escape_markdown
from lxml import html as lxml_html

HOSTILE = '<script>alert("x")</script> & “引号” <img src=x onerror=alert(1)>'
# A citation quotes words of a speech paragraph between ASCII double quotes, so it cannot hold one.
HOSTILE_QUOTE = "<script>alert(1)</script> & “引号” <img src=x onerror=alert(1)>"

# The hostile paragraph as `make ingest` writes any speech text: escaped for Markdown.
SPEECH = speech_page("同志们：", "要坚持事不过夜。", escape_markdown(f"办文要零差错，{HOSTILE_QUOTE}"), title=f"在测试会议上的讲话 {HOSTILE}",
                     short_title=f"测试讲话 {HOSTILE}", occasion=f"测试会议 {HOSTILE}")

PRINCIPLE = f"""---
title: 事不过夜
term: 事不过夜
summary: '当天的事当天办 {HOSTILE.replace("'", "''")}'
tags: [重要提法]
---

# 事不过夜

见[@t#p2 "坚持事不过夜"]。
"""

NORM = """---
title: 测试规范
tags: [规范]
---

# 测试规范

## 测试-01 做好测试 { #测试-01 }

要坚持事不过夜。

适用：长期有效 · 县政府办公室

依据：[@t#p2 "坚持事不过夜"]

## 测试-02 办文零差错 { #测试-02 }

适用：长期有效 · 县政府办公室

""" + f'依据：[@t#p3 "办文要零差错" "{HOSTILE_QUOTE}"]\n'

ONBOARDING = f"""---
title: 新人入职
tags: [新人入职]
reading_path:
  - page: norms/test.md
    why: '先读 {HOSTILE.replace("'", "''")}'
---

# 新人入职

<!-- reading-path -->
"""


def test_hostile_front_matter_is_escaped_everywhere(tmp_path: Path):
    pages = {"index.md": "# 首页\n", "speeches/index.md": "# 讲话\n\n<!-- speech-index -->\n",
             "speeches/t.md": SPEECH, "principles/shi.md": PRINCIPLE, "norms/test.md": NORM,
             "norms/index.md": "# 规范\n\n<!-- norms-index -->\n", "onboarding/index.md": ONBOARDING,
             "coverage.md": "# 覆盖\n\n<!-- coverage -->\n"}
    project = make_fixture_site(tmp_path, pages, sources={"test.txt": "x", "non-normative.yml": "t:\n  1: 称呼\n"})
    result = run_mkdocs_build(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    checked = 0
    for page in (tmp_path / "site").rglob("index.html"):
        root = lxml_html.parse(str(page)).getroot()
        for script in root.xpath("//script"):
            assert "alert" not in (script.text or ""), f"{page}: a <script> from front matter was injected"
        assert not root.xpath("//img[@onerror]"), f"{page}: an <img onerror> from front matter was injected"
        text = root.text_content()
        if HOSTILE in text or HOSTILE in " ".join(root.xpath("//@title")):
            checked += 1
    # The speech page, the speech index, the coverage page, the norm (citation), the onboarding path,
    # and the principle links' tooltips all show the text literally.
    assert checked >= 5
    # A citation quoting hostile words shows them as text, in its quotation marks and in its tooltip.
    norm = lxml_html.parse(str(tmp_path / "site" / "norms" / "test" / "index.html")).getroot()
    assert f"「{HOSTILE_QUOTE}」" in norm.text_content()
    assert any(HOSTILE_QUOTE in title for title in norm.xpath("//a[contains(@class, 'hb-cite')]/@title"))
