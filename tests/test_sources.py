"""Page texts read once per language build, without mkdocs."""

from __future__ import annotations

from handbook.sources import page_sources, source_of


def test_page_sources_read_each_collection_once():
    reads = []

    class File:
        def __init__(self, src_uri):
            self.src_uri = src_uri

        @property
        def content_string(self):
            reads.append(self.src_uri)
            return f"# {self.src_uri}\n"

    class Files:
        def __init__(self, *names):
            self.pages = [File(name) for name in names]

        def documentation_pages(self):
            return self.pages

    zh, en = Files("a.md", "b.md"), Files("a.en.md")
    assert page_sources(zh) == {"a.md": "# a.md\n", "b.md": "# b.md\n"}
    assert source_of(zh.pages[1], zh) == "# b.md\n" and page_sources(zh)["a.md"] == "# a.md\n"
    assert reads == ["a.md", "b.md"]
    assert page_sources(en) == {"a.en.md": "# a.en.md\n"}  # another language build: its own pages
    assert source_of(File("new.md"), en) == "# new.md\n"  # not in the collection: read from the file
    assert reads == ["a.md", "b.md", "a.en.md", "new.md"]
