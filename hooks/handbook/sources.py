"""The text of every page being built, read from disk once per language build.

mkdocs' ``File.content_string`` reads the file again at every access, and nine hooks read
every page (about 1,400 reads per build of 156 pages). Here the documentation pages of a
``Files`` collection are read once; static-i18n gives each language build its own collection.
"""

from __future__ import annotations

# One slot: the collection of the language build in progress and its pages' texts. It holds the
# collection itself, so an identity match is that very collection (never a later build's), and a
# build with another collection replaces it.
_read: tuple[object, dict[str, str]] | None = None


def page_sources(files) -> dict[str, str]:
    """src_uri -> text of every documentation page of ``files``, in the collection's order."""
    global _read
    if _read is None or _read[0] is not files:
        _read = (files, {file.src_uri: file.content_string for file in files.documentation_pages()})
    return _read[1]


def source_of(file, files) -> str:
    """The text of ``file``, a page of ``files``."""
    text = page_sources(files).get(file.src_uri)
    return file.content_string if text is None else text
