"""The editors' tools: checking, importing, drafting, fixing names, the preview server.

What an archivist runs through `archive …` (archive/cli.py); they read and write content
through the domain model and build through the engine (archive/site/).
"""
