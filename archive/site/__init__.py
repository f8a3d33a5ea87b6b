"""The build engine: the page plan, and how Pelican is run to carry it out.

Building atomically, the one door to Pelican's internals, interface languages, the live site.
It stands on the domain model (archive/model/) and knows nothing of the editors' tools.
"""
