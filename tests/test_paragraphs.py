"""Paragraph numbering and anchors, without mkdocs."""

from __future__ import annotations

import markdown
import pytest
from handbook.html import add_paragraph_links, duplicate_ids, parse_fragment, serialize_fragment
from handbook.paragraphs import add_paragraph_anchors, speech_blocks
from handbook.problems import body_offset
from handbook.speech import (
    escape_markdown,
    paragraphs_from_lines,
    render_speech_body,
    split_lead,
)

LINES = ["同志们：", "一、总的要求", "一要讲政治。要始终保持绝对忠诚。", "普通段落，含*星号*与<尖括号>&符号[方括号]。"]


def render(text: str) -> str:
    return markdown.markdown(text, extensions=["attr_list", "toc"])


def test_leads_become_headings_only_for_the_speech_numbering():
    assert split_lead("一要讲政治。要始终保持绝对忠诚。") == "一要讲政治。"
    assert split_lead("（二）要注重学习，提升素质能力") == "（二）要注重学习，提升素质能力"
    assert split_lead("第三，要锤炼过硬本领。作为党办干部") == "第三，要锤炼过硬本领。"
    assert split_lead("1、完善工作机制。一要完善主动作为机制。") == "1、完善工作机制。"
    assert split_lead("一是服务质量持续提升。") is None  # 一是 enumerates inside a paragraph
    assert split_lead("一、" + "很长的开头" * 10 + "。后文") is None


def test_blocks_rebuild_each_source_line_exactly():
    body = render_speech_body(paragraphs_from_lines(LINES))
    blocks, problems = speech_blocks(body)
    assert problems == []
    assert [block.text for block in blocks] == LINES
    assert [block.number for block in blocks] == [1, 2, 3, 4]


def test_anchors_land_on_headings_and_paragraphs():
    body = "# 标题\n\n" + render_speech_body(paragraphs_from_lines(LINES))
    anchored = add_paragraph_anchors(body, speech_blocks(body)[0])
    html = render(anchored)
    assert '<p class="hb-para" id="p1">同志们：</p>' in html
    assert '<h2 id="p2">一、总的要求</h2>' in html
    assert '<h2 id="p3">一要讲政治。</h2>\n<p>要始终保持绝对忠诚。</p>' in html
    assert '<p class="hb-para" id="p4">普通段落，含*星号*与&lt;尖括号&gt;&amp;符号[方括号]。</p>' in html


def test_anchoring_is_stable():
    body = render_speech_body(paragraphs_from_lines(LINES))
    assert add_paragraph_anchors(body, speech_blocks(body)[0]) == add_paragraph_anchors(body, speech_blocks(body)[0])


@pytest.mark.parametrize(
    "text, line, message",
    [
        ("# 标题\n\n正文。\n", 1, "without the '<!-- speech:start -->' marker"),
        ("<!-- speech:start -->\n\n正文。\n", 1, "never closed"),
        ("说明\n\n<!-- speech:start -->\n\n<!-- speech:end -->\n", 3, "the speech is empty"),
        ("<!-- speech:start -->\n\n同志们：\n\n正文。\n{: #p9 }\n\n<!-- speech:end -->\n", 5, "already carries an attribute list"),
    ],
)
def test_malformed_speech_markup_names_the_line(text, line, message):
    blocks, [problem] = speech_blocks(text, "speeches/x.md", line_offset=10)
    assert blocks == []
    assert problem.line == 10 + line and problem.path == "speeches/x.md"
    assert message in problem.message


def test_escaping_keeps_markdown_specials_literal():
    text = r"1. 标题# *强调* _下划线_ `代码` [链接](x) {: #id } \反斜杠 <b>粗</b> & !"
    html = render(escape_markdown(text))
    assert html == "<p>" + text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") + "</p>"


def test_paragraph_links_are_added_and_kept_out_of_search():
    root = parse_fragment('<p id="p3">正文</p><h2 id="p4">标题</h2><p id="intro">导语</p>')
    add_paragraph_links(root, "第{number}段")
    assert serialize_fragment(root) == (
        '<p id="p3"><a class="hb-para-link" href="#p3" title="第3段" data-search-exclude="">¶3</a>正文</p>'
        '<h2 id="p4"><a class="hb-para-link" href="#p4" title="第4段" data-search-exclude="">¶4</a>标题</h2>'
        '<p id="intro">导语</p>'
    )


def test_duplicate_ids_are_found():
    assert duplicate_ids(parse_fragment('<p id="p1">a</p><div><p id="p1">b</p><p id="p2">c</p></div>')) == ["p1"]
    assert duplicate_ids(parse_fragment('<p id="p1">a</p>')) == []


def test_body_offset_counts_front_matter_lines():
    source = "---\ntitle: x\n---\n\n正文第一行\n"
    assert body_offset(source, "正文第一行\n") == 4


def test_switcher_links_become_site_relative():
    from language_switcher import site_relative

    assert [site_relative(link) for link in ("/", "/en/", "en/speeches/x/", "//host/x")] == [".", "en/", "en/speeches/x/", "//host/x"]


def test_alternate_links_are_dropped_but_the_switcher_kept():
    from handbook.html import drop_alternate_links

    page = ('<!doctype html><html><head><link rel="alternate" href="../en/" hreflang="en">'
            '<link rel="icon" href="x.png"></head><body><a href="../en/" hreflang="en">English</a></body></html>')
    result = drop_alternate_links(page)
    assert 'link rel="alternate"' not in result
    assert '<link rel="icon" href="x.png">' in result and '<a href="../en/" hreflang="en">English</a>' in result
