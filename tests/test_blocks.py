"""Generated tables and lists built as elements (handbook/blocks.py) give the HTML Python-Markdown gave for the
same Markdown, so moving them out of Markdown changed no page."""

from __future__ import annotations

import markdown as python_markdown
import pytest
from handbook.blocks import Blocks, Link, Strong, bullet_list, format_parts, insert_blocks, paragraph, table, tabs
from handbook.html import parse_fragment, serialize_fragment

EXTENSIONS = ["attr_list", "md_in_html", "pymdownx.superfences", "pymdownx.tabbed"]
CONFIGS = {"pymdownx.tabbed": {"alternate_style": True}}


def page_html(text: str) -> str:
    """A page as the pipeline hands it on: Markdown, then one lxml parse and serialisation."""
    html = python_markdown.Markdown(extensions=[*EXTENSIONS, "tables"],
                                    extension_configs={**CONFIGS, "tables": {"use_align_attribute": True}}).convert(text)
    return serialize_fragment(parse_fragment(html))


def with_blocks(parts: list, before: str = "# 标题\n\n正文。", after: str = "## 后文\n\n完。") -> str:
    blocks = Blocks()
    html = python_markdown.Markdown(extensions=[*EXTENSIONS, "tables"], extension_configs=CONFIGS).convert(
        "\n\n".join([before, blocks.markdown(parts), after]))
    root = parse_fragment(html)
    insert_blocks(root, blocks)
    return serialize_fragment(root)


def test_a_table_is_the_table_markdown_writes():
    markdown_table = "| 领域 | 条款数 |\n|---|--:|\n| [办文](documents/#办文-01) | 12 |\n| 合计 | 12 |"
    rows = [(Link("documents/#办文-01", "办文"), "12"), ("合计", "12")]
    assert with_blocks([table(("领域", "条款数"), rows, right=frozenset({1}))]) == page_html(
        f"# 标题\n\n正文。\n\n{markdown_table}\n\n## 后文\n\n完。")


def test_lists_paragraphs_headings_and_an_empty_cell_as_markdown_writes_them():
    expected = page_html("# 标题\n\n正文。\n\n## 甲\n\n- 怎么办？ 见 [办文-01 甲](a/#办文-01)\n- 乙\n\n**修改（1 条）**\n\n"
                         "| 段落 | 状态 |\n|---|---|\n| [¶2](s/#p2) | **未覆盖** |\n| ¶3 | |\n\n## 后文\n\n完。")
    parts = ["## 甲", bullet_list([("怎么办？ 见 ", Link("a/#办文-01", "办文-01 甲")), "乙"]),
             paragraph("修改（1 条）", strong=True),
             table(("段落", "状态"), [(Link("s/#p2", "¶2"), Strong("未覆盖")), ("¶3", "")])]
    assert with_blocks(parts) == expected


def test_tabs_are_pymdownx_tabs_numbered_after_the_pages_own():
    own = '=== "一"\n\n    甲\n\n=== "二"\n\n    乙'
    ours = tabs(["全部（1）", "多篇（0）"], [paragraph("丙"), paragraph("丁")])
    html = with_blocks([ours], before=f"# 标题\n\n{own}")
    expected = page_html(f'# 标题\n\n{own}\n\n===! "全部（1）"\n\n    丙\n\n=== "多篇（0）"\n\n    丁\n\n## 后文\n\n完。')
    assert html == expected
    assert 'id="__tabbed_2_1"' in html and 'data-tabs="2:2"' in html


def test_a_label_with_links_in_it():
    parts = format_parts("{old} 并入 {new}", old=Link("a/#x", "作风-01"), new=Link("b/#y", "办事-05 事不过夜"))
    assert parts == [Link("a/#x", "作风-01"), " 并入 ", Link("b/#y", "办事-05 事不过夜")]
    assert format_parts("{old} merged into {new}", old="X-01", new=Link("b/#y", "Y")) == ["X-01", " merged into ", Link("b/#y", "Y")]


@pytest.mark.parametrize("text", ["<b>&amp;", "a | b", "*斜体* `代码`"])
def test_text_is_text_never_markup(text: str):
    html = with_blocks([bullet_list([text])])
    root = parse_fragment(html)
    assert root.find(".//li").text == text
