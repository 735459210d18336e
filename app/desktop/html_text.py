"""The HTML clipboard flavour: what to scan in it, and the HTML we write back.

A browser or Word copy carries HTML next to the plain text, and the HTML may hold more
than the user sees: hidden elements, ``title``/``alt``/``href`` values, comments. We scan
all of it, and we never write the original HTML back: the safe copy's HTML is generated
from the redacted plain text, so nothing hidden survives.
"""

from __future__ import annotations

import html
from html.parser import HTMLParser

# Elements whose end starts a new line in the visible text.
_BLOCK_TAGS = {
    "p", "div", "br", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6",
    "table", "ul", "ol", "section", "article", "header", "footer", "blockquote", "pre",
}
# Attribute values that can carry personal data (links, tooltips, form values).
_SCANNED_ATTRS = {"href", "title", "alt", "value", "content", "placeholder", "aria-label", "src"}


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.extra: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "br":
            self.text.append("\n")
        for name, value in attrs:
            if value and (name in _SCANNED_ATTRS or name.startswith("data-")):
                self.extra.append(html.unescape(value))

    def handle_endtag(self, tag):
        if tag in _BLOCK_TAGS:
            self.text.append("\n")

    def handle_data(self, data):
        # Text inside <style>/<script> or display:none elements counts too: it is
        # pasted along with the rest into a rich-text chatbot box.
        self.text.append(data)

    def handle_comment(self, data):
        self.extra.append(data)


def html_parts(markup: str) -> tuple[str, str, str]:
    """``(text, separated, extra)`` of ``markup``: its text (hidden elements included);
    the same with a space between text pieces of different elements (so a hidden
    ``<span>`` value does not run into the next word when scanned); and its attribute
    values and comments, one per line."""
    collector = _Collector()
    try:
        collector.feed(markup)
        collector.close()
    except Exception:  # malformed markup: scan the raw string rather than nothing
        return markup, markup, ""
    return "".join(collector.text), " ".join(collector.text), "\n".join(collector.extra)


def novel_lines(scanned: str, plain: str) -> str:
    """The lines of ``scanned`` holding a word that ``plain`` lacks (hidden text, list
    bullets, alt text...). A browser copy's HTML text usually repeats the plain text word
    for word; only what it adds needs a second analysis. Linear in both texts."""
    words = set(plain.split())
    return "\n".join(line for line in scanned.splitlines()
                     if any(word not in words for word in line.split()))


def text_to_html(text: str) -> str:
    """Minimal HTML for ``text``: escaped, line breaks kept. Used for the safe copy."""
    lines = (html.escape(line, quote=False) for line in text.split("\n"))
    return ("<html><head><meta charset=\"utf-8\"></head><body><div style=\"white-space:pre-wrap\">"
            + "<br>".join(lines) + "</div></body></html>")
