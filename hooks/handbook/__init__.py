"""Shared logic for the handbook's build hooks and editor commands.

The hook modules in ``hooks/`` stay thin: they adapt mkdocs events to the plain
functions here, which the tests call without running mkdocs.
"""
