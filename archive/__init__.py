"""Documentary Archive: the domain model, the build engine and the editors' tools.

Three rooms, each importing only those below it (tests/test_architecture_doc.py):
`archive/editors/` (what archivists run) stands on `archive/site/` (the build engine) and
`archive/model/` (what a document is); the Pelican plugins in `plugins/` stand on the
engine and the model. `archive/cli.py` is the front door to all of it.
"""
