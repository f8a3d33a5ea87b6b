"""Markdown as the archive renders it: markdown-it-py, CommonMark plus a few extensions."""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.footnote import footnote_plugin

#: Pelican's intrasite link placeholders, which markdown-it would percent-encode.
PLACEHOLDERS = ("{filename}", "{static}", "{attach}", "{index}", "{category}", "{tag}", "{author}")


def make_markdown() -> MarkdownIt:
    """CommonMark with tables, footnotes, typographic quotes and heading ids; raw HTML off.

    Raw HTML is rendered as text, so a pasted <script> shows as characters, never runs.
    markdown-it's own link validation already refuses javascript:, vbscript: and data: links.
    """
    md = (
        MarkdownIt("commonmark", {"html": False, "typographer": True})
        .enable(["table", "strikethrough", "replacements", "smartquotes"])
        .use(footnote_plugin)
        .use(anchors_plugin, min_level=2, max_level=4)
    )
    normalize = md.normalizeLink

    def keep_placeholders(url: str) -> str:
        for placeholder in PLACEHOLDERS:
            if url.startswith(placeholder):
                return placeholder + normalize(url[len(placeholder) :])
        return normalize(url)

    md.normalizeLink = keep_placeholders
    md.renderer.renderAttrs = quoted_attributes
    return md


def quoted_attributes(token) -> str:
    """A tag's attributes, with no quote character left in any value.

    Pelican replaces a link placeholder wherever its pattern finds `src='{attach}…'` inside
    a tag, even within another attribute's value: an image's alt text, a link's title or a
    code block's language, written `src='{attach}/../../etc/hostname'`, would have it copy
    any readable file of the build machine into the site. markdown-it escapes `"` in values;
    `'` is escaped here too, so no value can hold a quoted address of its own.
    """
    return "".join(
        " " + escapeHtml(key) + '="' + escapeHtml(str(value)).replace("'", "&#39;") + '"'
        for key, value in token.attrItems()
    )
