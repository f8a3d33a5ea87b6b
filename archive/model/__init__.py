"""The archive's domain model: documents, registries, captures and their rules, without Pelican.

What a document is, what its fields mean and how each is checked; the editors' tools and the
build engine both stand on it, and it imports neither.
"""
