"""Search as staff use it: queries typed into Material's search box, answered by our worker."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from conftest import REPO
from handbook.model import read_handbook
from handbook.search import (
    edition_index_path,
    outside_terms,
    plain_text,
    read_lexicon,
    read_search_questions,
    rewrite_index,
    search_words,
    split_editions,
    write_user_dictionary,
)
from lxml import html as lxml_html

QUERIES = yaml.safe_load((REPO / "tests" / "search_queries.yml").read_text(encoding="utf-8"))


def test_query_set_is_broad_enough():
    assert len(QUERIES) >= 40
    kinds = {q["kind"] for q in QUERIES}
    assert {"phrase", "enumeration", "domain", "topic", "question", "rare", "english"} <= kinds


def test_user_dictionary_keeps_principles_clause_titles_and_office_terms_whole():
    pages = [(path.relative_to(REPO / "docs").as_posix(), path.read_text(encoding="utf-8"))
             for path in sorted((REPO / "docs").rglob("*.md")) if not path.name.endswith(".en.md")]
    words = search_words(read_handbook(pages, "zh"), REPO / "sources" / "search-terms.yml")
    for word in ("身在兵位胸为帅谋", "身在兵位", "胸为帅谋", "事不过夜", "三督三察", "门卫登记", "法制办", "公务灶"):
        assert word in words


def test_user_dictionary_is_rewritten_in_place_without_leftovers(tmp_path: Path):
    path = tmp_path / "handbook-jieba-x.txt"
    write_user_dictionary(["事不过夜", "办文"], path)
    write_user_dictionary(["事不过夜"], path)
    assert path.read_text(encoding="utf-8") == "事不过夜 100000\n"
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def test_index_rewrite_drops_zero_width_spaces_and_markup_and_collects_words():
    index = {"config": {"lang": ["zh"]}, "docs": [
        {"location": "a/", "title": "事\u200b不\u200b过夜", "text": "<p>要\u200b坚持\u200b事不过夜\u200b。</p><ul><li>办文</li></ul>"}]}
    rewritten = rewrite_index(index, ["门卫登记"])
    assert rewritten["docs"][0] == {"location": "a/", "title": "事不过夜", "text": "要坚持事不过夜。办文"}
    assert rewritten["config"]["handbook"]["vocabulary"] == "事不过夜|坚持|过夜|门卫登记"
    assert plain_text("<p>a &amp; <b>b</b></p>") == "a & b"


def test_office_topics_no_clause_speaks_of_are_kept_and_the_others_dropped():
    """A topic is outside the handbook unless a clause holds it (title, text, questions; folded as the worker folds
    text); speeches and principles do not count. One inside an everyday phrase of the thesaurus stays (the worker
    reads it as spoken of only inside the phrase), and so does a longer one holding it (请假条 beside 请假)."""
    docs = [{"location": "norms/a/#后勤-01", "title": "后勤-01 值班", "text": "值班人员不得离岗。", "questions": "值班能走开吗",
             "source": "讲话 ¶1"},
            {"location": "speeches/a/#p1", "title": "讲话", "text": "公章要管好"},
            {"location": "en/norms/a/#后勤-01", "title": "后勤-01 Duty", "text": "Staff on duty keep to the Printer room.",
             "questions": "", "source": "Speech ¶1"}]
    lexicon = {"zh": ["值班", "公章", "宠物", "离岗", "请假", "请假条", "调休", "调休单"],
               "en": ["duty", "printer", "Payslip", "pets", "pet", "carpet"]}
    thesaurus = {"zh": [[["请假外出"], ["离岗"]]], "en": []}
    assert outside_terms(lexicon, docs, thesaurus) == {"zh": ["公章", "宠物", "请假", "请假条", "调休"],
                                                       "en": ["carpet", "payslip", "pet", "pets"]}


def test_the_lexicon_reads_groups_of_terms_and_names_the_line_of_a_bad_one(tmp_path: Path):
    path = tmp_path / "office-lexicon.yml"
    path.write_text("zh:\n  人事: [请假, 年假]\n  印章: [公章, 章]\nen:\n  leave: leave\n", encoding="utf-8")
    lexicon, problems = read_lexicon(path)
    assert lexicon == {"zh": ["请假", "年假", "公章"], "en": []}
    assert [(p.path, p.line, p.rule) for p in problems] == [("../sources/office-lexicon.yml", 3, "lexicon"),
                                                            ("../sources/office-lexicon.yml", 5, "lexicon")]
    assert "'章'" in problems[0].message and "leave" in problems[1].message
    path.write_text("zh: [请假\n", encoding="utf-8")
    lexicon, problems = read_lexicon(path)
    assert lexicon == {} and problems[0].line == 2 and "YAML" in problems[0].message


def test_search_questions_follow_merged_ids_and_a_bad_entry_names_its_line(tmp_path: Path):
    """sources/search-questions.yml: questions by clause and language; a merged ID's go to the clause that replaced
    it; an unknown ID, a language that is not a list of questions, or a question holding | is reported at its line."""
    path = tmp_path / "search-questions.yml"
    path.write_text("办会-01:\n  zh: [会能不能少开？]\n  en: [Can we hold fewer meetings?]\n"
                    "办会-02:\n  zh: [会议怎么精简？]\n办会-09:\n  zh: [谁管会？]\n"
                    "办会-03:\n  zh: 文件少一点\n  en: [a|b]\n", encoding="utf-8")
    asked, problems = read_search_questions(path, {"办会-02", "办会-03"}, {"办会-01": "办会-02"})
    assert asked == {"zh": {"办会-02": ["会能不能少开？", "会议怎么精简？"]}, "en": {"办会-02": ["Can we hold fewer meetings?"]}}
    assert [(p.path, p.line, p.rule) for p in problems] == [("../sources/search-questions.yml", 6, "search-questions"),
                                                            ("../sources/search-questions.yml", 8, "search-questions"),
                                                            ("../sources/search-questions.yml", 8, "search-questions")]
    assert "办会-09 is not the ID of a clause" in problems[0].message and "zh: not a list" in problems[1].message
    path.write_text("办会-02: [\n", encoding="utf-8")
    asked, problems = read_search_questions(path, {"办会-02"}, {})
    assert asked == {} and problems[0].rule == "search-questions" and problems[0].line == 2
    assert read_search_questions(tmp_path / "none.yml", set(), {}) == ({}, [])


def test_a_clause_carries_its_search_questions_apart_from_its_common_questions():
    index = {"config": {}, "docs": [{"location": "norms/a/#后勤-01", "title": "后勤-01 值班",
                                     "text": "<p>值班人员不得离岗。</p><p>常见问法：值班能走开吗？</p>"}]}
    doc = rewrite_index(index, [], {"zh": {"后勤-01": ("讲话 ¶1", "")}}, asked={"zh": {"后勤-01": ["值夜班能睡觉吗？", "夜里能回家吗？"]}})["docs"][0]
    assert (doc["questions"], doc["asked"]) == ("值班能走开吗？", "值夜班能睡觉吗？|夜里能回家吗？")


def test_list_pages_are_found_by_title_only():
    """Coverage, the matrix and the revisions list the clauses, which answer for themselves: a page keeps its title."""
    index = {"config": {}, "docs": [{"location": "en/coverage/", "title": "Coverage", "text": "<p>办文-01 …</p>"},
                                    {"location": "en/coverage/#speech-a", "title": "Speech A", "text": "<p>办文-01</p>"},
                                    {"location": "revisions/#2026-12-07", "title": "2026-12-07", "text": "保密-01"},
                                    {"location": "norms/a/", "title": "办文", "text": "<p>办文-01</p>"}]}
    docs = rewrite_index(index, [])["docs"]
    assert [(doc["location"], doc["text"]) for doc in docs] == [("en/coverage/", ""), ("norms/a/", "办文-01")]


def test_each_edition_gets_its_own_index_with_its_own_words_and_locations():
    """A Chinese page loads the Chinese edition's index alone (the English one was half the first load): the
    English index holds the English sections, located from the English root, and its own word lists."""
    index = {"config": {"lang": ["zh", "en"], "handbook": {"vocabulary": "值班|公章", "thesaurus": {"zh": "a=b", "en": "c=d"},
                                                            "labels": {"zh": {"source": "依据："}, "en": {"source": "Source: "}},
                                                            "outside": {"zh": "公章", "en": "payslip"}}},
             "docs": [{"location": "norms/a/#后勤-01", "title": "值班"}, {"location": "en/norms/a/#后勤-01", "title": "Duty"},
                      {"location": "en/", "title": "Home"}]}
    editions = split_editions(index)
    assert editions["zh"]["docs"] == [{"location": "norms/a/#后勤-01", "title": "值班"}]
    assert [doc["location"] for doc in editions["en"]["docs"]] == ["norms/a/#后勤-01", ""]
    assert editions["zh"]["config"]["handbook"] == {"language": "zh", "vocabulary": "值班|公章", "thesaurus": "a=b",
                                                    "labels": {"source": "依据："}, "outside": "公章"}
    assert editions["en"]["config"]["handbook"] == {"language": "en", "thesaurus": "c=d", "labels": {"source": "Source: "},
                                                    "outside": "payslip"}
    assert editions["en"]["config"]["lang"] == ["zh", "en"]


def test_built_index_is_clean(built_site: Path):
    for language in ("zh", "en"):
        index = json.loads(edition_index_path(built_site, language).read_text(encoding="utf-8"))
        assert index["config"]["handbook"]["language"] == language
        assert not any("\u200b" in doc["title"] + doc["text"] for doc in index["docs"])
        assert not any(doc["location"].startswith("en/") for doc in index["docs"])
    assert len(index["config"]["handbook"]["thesaurus"]) > 100 and "vocabulary" not in index["config"]["handbook"]
    index = json.loads(edition_index_path(built_site, "zh").read_text(encoding="utf-8"))
    assert len(index["config"]["handbook"]["vocabulary"].split("|")) > 1000
    clauses = [doc for doc in index["docs"] if "source" in doc]
    assert len(clauses) > 100 and all(re.search(r"[\u3400-\u9fff]", doc["text"][: doc["rule"]]) for doc in clauses)


def test_principles_sources_make_no_index_entries(built_site: Path):
    """出处与引用 repeats the speeches and is kept out of search: not even an empty entry per heading."""
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    page = lxml_html.parse(str(built_site / "principles" / "shen-zai-bing-wei" / "index.html"))
    excluded = set(page.xpath("//div[@class='hb-backlinks']//*[@id]/@id"))
    assert "sources-and-uses" in excluded
    indexed = {doc["location"].split("#")[1] for doc in index["docs"] if doc["location"].startswith("principles/shen-zai-bing-wei/#")}
    assert indexed and not indexed & excluded


def result_groups(page) -> list[list[str]]:
    """Each result group's links, as site paths with their fragment."""
    hrefs = page.eval_on_selector_all(
        ".md-search-result__item", "items => items.map(i => [...i.querySelectorAll('a')].map(a => a.href))")

    def path(href: str) -> str:
        parts = urlsplit(href)
        return unquote(parts.path.lstrip("/")) + (f"#{unquote(parts.fragment)}" if parts.fragment else "")

    return [[path(href) for href in group] for group in hrefs]


def answers(query: dict, group: list[str]) -> bool:
    expected = [query["page"] + (f"#{query['anchor']}" if query.get("anchor") else ""), *query.get("also", [])]
    return any(any(link == want or (("#" not in want) and link.split("#")[0] == want) for link in group) for want in expected)


@pytest.fixture(scope="module")
def search_page(browser, site_url):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


def ask(page, site_url: str, query: str, language: str | None = None) -> list[list[str]]:
    english = language == "en" if language else query.isascii()
    page.goto(site_url + ("en/" if english else ""))
    page.keyboard.press("/")  # Material's shortcut to the search box
    page.fill("input.md-search__input", query)
    page.keyboard.press("End")  # Material searches on keyup
    page.wait_for_selector(".md-search-result__item", timeout=5000)
    return result_groups(page)


def test_query_set_in_the_browser(search_page, site_url):
    first, top5, misses = 0, 0, []
    for query in QUERIES:
        groups = ask(search_page, site_url, query["query"])
        hits = [answers(query, group) for group in groups[:5]]
        first += bool(hits and hits[0])
        top5 += any(hits)
        if not (hits and hits[0]):
            misses.append(f"{query['query']} -> {[g[0] for g in groups[:3]]}")
    assert top5 == len(QUERIES), misses
    assert first / len(QUERIES) >= 0.9, misses


CLAUSE_LINK = re.compile(r"#([\u3400-\u9fff]{2,4}-\d{2,3})$")
QUESTIONS = yaml.safe_load((REPO / "tests" / "questions.yml").read_text(encoding="utf-8"))


def clause_rank(expected: list[str], groups: list[list[str]]) -> int | None:
    """Where the first answering clause stands among the clause results, in the order a reader sees them."""
    clauses = list(dict.fromkeys(match[1] for group in groups for link in group if (match := CLAUSE_LINK.search(link))))
    return next((rank for rank, clause in enumerate(clauses, start=1) if clause in expected), None)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_question_set_finds_the_answering_clause(search_page, site_url, language):
    """Everyday questions (tests/questions.yml, written before any tuning): the clause that answers comes first."""
    ranks, misses = [], []
    for entry in QUESTIONS[language]:
        rank = clause_rank(entry["clauses"], ask(search_page, site_url, entry["question"], language))
        ranks.append(rank)
        if rank != 1:
            misses.append(f"{entry['question']} -> {entry['clauses']} at {rank}")
    assert all(rank is not None and rank <= 5 for rank in ranks), misses
    assert sum(rank == 1 for rank in ranks) / len(ranks) >= 0.9, misses


def test_a_clause_result_shows_its_rule_its_scope_and_its_source(search_page, site_url):
    ask(search_page, site_url, "会开得太多怎么办")
    teaser = search_page.locator(".md-search-result__article", has=search_page.locator(".hb-search-source")).first
    text = teaser.inner_text()
    assert "精简会议" in text and "依据：全县办公室主任会议讲话 ¶7" in text
    # Whom it binds and for how long, as the clause's own scope line says (issue 25)
    assert teaser.locator(".hb-search-scope").inner_text() == "长期有效 · 全县办公室系统"
    assert "常见问法" not in search_page.inner_text(".md-search-result")  # matched, never shown as the clause's text


def test_results_are_sections_without_zero_width_spaces(search_page, site_url):
    groups = ask(search_page, site_url, "门卫登记")
    assert any("#" in link for link in groups[0]), "results must point at sections"
    text = search_page.inner_text(".md-search-result")
    assert "\u200b" not in text
    assert search_page.locator(".md-search-result mark").count() > 0


def test_english_results_stay_english(search_page, site_url):
    groups = ask(search_page, site_url, "supervision and inspection")
    assert groups and all(link.startswith("en/") for group in groups for link in group)
    assert re.search(r"[A-Za-z]", search_page.inner_text(".md-search-result"))


def test_escaped_titles_come_out_as_text():
    assert plain_text("A &amp; B &lt;C&gt;") == "A & B <C>"


def ask_and_settle(page, site_url: str, query: str, language: str) -> dict:
    """Type ``query`` into the search box; what the results show about the answer verdict."""
    ask(page, site_url, query, language)
    page.wait_for_timeout(100)  # handbook-answer.js reacts to the rendered results
    return page.evaluate("""() => {
      const list = document.querySelector('.md-search-result__list')
      const block = document.querySelector('.md-search-result .hb-no-answer')
      const clauses = [...list.querySelectorAll('a')].map(a => decodeURIComponent(a.hash.slice(1)))
        .filter(id => /^[\\u3400-\\u9fff]{2,4}-\\d+$/.test(id))
      return {
        answer: list.dataset.hbAnswer || null,
        line: block ? block.querySelector('.hb-no-answer__line').textContent : null,
        contact: block && block.querySelector('.hb-no-answer__contact') ? block.querySelector('.hb-no-answer__contact').textContent : null,
        button: block && block.querySelector('button') ? block.querySelector('button').textContent : null,
        outside: block && block.querySelector('.hb-no-answer__outside') ? block.querySelector('.hb-no-answer__outside').textContent : null,
        blockFirst: block ? block.nextElementSibling === list : null,
        related: [...list.querySelectorAll('.hb-related')].map(label => label.textContent),
        firstClause: clauses[0] || null,
        missing: [...document.querySelectorAll('.md-search-result__terms del')].map(del => del.textContent),
      }
    }""")


# Dev questions (tests/search_dev_questions.yml), one of each kind per language: the verdict's mechanism, not its
# figures (those are `make bench`'s, on the blind sets).
VERDICTS = [
    ("zh", "喝了酒还能开公车吗", "clause", "后勤-18"),
    ("zh", "办公室能养宠物吗", "none", None),
    ("en", "do visitors have to sign in at the gate", "clause", "后勤-14"),
    ("en", "can I bring my dog to the office?", "none", None),
    ("en", "when is payday", "none", "nothing"),
]


def test_a_question_gets_a_verdict_and_a_keyword_none(search_page, site_url):
    """Typed into the real search box: an answered question opens with its clause shown as the answer; an
    unanswered one with the plain line, where to ask, the Not answered button and clauses labelled related; a
    keyword carries no verdict at all, and the block of an earlier question goes."""
    for language, question, answer, clause in VERDICTS:
        shown = ask_and_settle(search_page, site_url, question, language)
        assert shown["answer"] == answer, (question, shown)
        if answer == "clause":
            assert shown["firstClause"] == clause and shown["line"] is None and shown["related"] == [], (question, shown)
        elif clause == "nothing":  # no word of it is in the handbook: the list of all clauses to look through
            assert shown["line"] and shown["related"] == [], (question, shown)
        else:
            expected = {"zh": ("手册中没有直接回答这个问题的条款", "请向办公室综合科咨询", "没有找到答案", "相关条款"),
                        "en": ("The handbook has no clause that answers this", "Ask the office's general affairs section",
                               "Not answered", "Related clauses")}[language]
            assert (shown["line"], shown["contact"], shown["button"]) == expected[:3], shown
            assert shown["blockFirst"] and shown["related"] and set(shown["related"]) == {expected[3]}, shown
    for language, keyword in (("zh", "保密"), ("zh", "门卫登记"), ("en", "supervision")):
        shown = ask_and_settle(search_page, site_url, keyword, language)
        assert shown["answer"] is None and shown["line"] is None and shown["related"] == [], (keyword, shown)


def test_a_question_about_a_topic_no_clause_speaks_of_says_which(search_page, site_url):
    """A question naming office topics that no clause speaks of (sources/office-lexicon.yml, less the clauses'
    words) gets `none`, and the block names those topics as typed (工资 too, though the thesaurus has 工资低: it is
    not typed inside it); a question naming none shows no such line."""
    for language, question, line in (("zh", "出差的差旅费怎么报销", "手册没有涉及：差旅、报销"),
                                     ("en", "how do I apply for annual leave", "Not covered by the handbook: annual leave"),
                                     ("zh", "工资什么时候发", "手册没有涉及：工资"),
                                     ("zh", "函和请示有啥区别", None)):
        shown = ask_and_settle(search_page, site_url, question, language)
        assert shown["answer"] == "none" and shown["outside"] == line, (question, shown)


def test_missing_lists_only_words_the_reader_typed(search_page, site_url):
    """缺少 / Missing under a result names words of the query, never the thesaurus' terms or leftovers of a cut."""
    question = "领导交代的事忘了怎么办"
    shown = ask_and_settle(search_page, site_url, question, "zh")
    assert shown["missing"], "some result lacks a typed word: the line must be there to be checked"
    assert all(word in question for word in shown["missing"]), shown["missing"]
    assert not {"交办重点工作台账", "遗忘", "有查必果", "事忘"} & set(shown["missing"]), shown["missing"]


def test_from_file_the_verdict_shows_without_the_button_and_nothing_is_sent(browser, tmp_path_factory, monkeypatch):
    """The offline site (Material's offline plugin, as the zip of `make release` holds it) opened from file://:
    the verdict and where to ask are there, the Not answered button is not, and no request leaves file://."""
    from conftest import run_mkdocs_build

    site = tmp_path_factory.mktemp("offline") / "site"
    monkeypatch.setenv("HANDBOOK_OFFLINE", "true")
    result = run_mkdocs_build(REPO, site)
    assert result.returncode == 0, result.stderr[-2000:]
    context = browser.new_context()
    page = context.new_page()
    requests, errors = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto((site / "index.html").as_uri())
        page.keyboard.press("/")
        page.fill("input.md-search__input", "办公室能养宠物吗")
        page.keyboard.press("End")
        page.wait_for_selector(".md-search-result__list[data-hb-answer='none']", timeout=10000)
        assert page.locator(".hb-no-answer__line").inner_text() == "手册中没有直接回答这个问题的条款"
        assert page.locator(".hb-no-answer__contact").inner_text() == "请向办公室综合科咨询"
        assert page.locator(".hb-no-answer button").count() == 0
        # An English page reads the English edition's own index (en/search/search_index.js) and links English pages.
        page.goto((site / "en" / "norms" / "index.html").as_uri())
        page.keyboard.press("/")
        page.fill("input.md-search__input", "how do I apply for annual leave")
        page.keyboard.press("End")
        page.wait_for_selector(".md-search-result__list[data-hb-answer='none']", timeout=10000)
        assert page.locator(".hb-no-answer__line").inner_text() == "The handbook has no clause that answers this"
        links = page.locator(".md-search-result__link").evaluate_all("links => links.map(link => link.href)")
        assert links and all(link.startswith((site / "en").as_uri() + "/") for link in links), links
        assert any(url.endswith("/en/search/search_index.js") for url in requests)
        assert errors == [] and [url for url in requests if not url.startswith("file:")] == []
    finally:
        context.close()
