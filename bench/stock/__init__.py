"""Stock Pelican for the benchmark's baseline: its default theme, tags, and our Markdown."""
