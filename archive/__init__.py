"""Documentary Archive: the document model, registries and tools shared by CLI and plugins."""
