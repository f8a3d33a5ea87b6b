"""Markdown as the archive renders it: markdown-it-py, CommonMark plus a few extensions."""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.footnote import footnote_plugin

#: An editor's mark that a word is the source's own (a cut or misspelt word kept as printed),
#: written right after it: `chimiqu[sic]`; `\\[sic]` keeps a source's own "[sic]" as text.
SIC = "[sic]"
#: The id of the note, at the end of a document's text, that says what the mark means in
#: the interface language (theme/templates/article.html): every mark links to it.
SIC_NOTE = "sic-note"

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
        .use(sic_plugin)
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


def sic_plugin(md: MarkdownIt) -> None:
    """Render the editorial mark `[sic]` as a marked link to the page's note on it.

    A reader sees "[sic]" where the editor wrote it, and can follow it (by keyboard too) to
    the one note that explains it in the reader's language; the text itself, rendered once
    for every interface language, says nothing in any of them. Before the link rule, which
    would otherwise take `[sic]` as a link label.
    """

    def sic(state, silent: bool) -> bool:
        if not state.src.startswith(SIC, state.pos):
            return False
        if not silent:
            state.push("sic", "", 0)
        state.pos += len(SIC)
        return True

    def render(self, tokens, index, options, env) -> str:
        return f'<span class="sic"><a href="#{SIC_NOTE}">{SIC}</a></span>'

    md.inline.ruler.before("link", "sic", sic)
    md.add_render_rule("sic", render)
