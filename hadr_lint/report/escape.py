"""Escaping of repository-controlled text, in one place for every formatter.

Logical ids, file names, zones, regions, workload names and messages that quote values all come
from the scanned repository, which may be hostile (a pull request from a fork). Whatever a
formatter prints of them goes through one of these functions:

- ``printable``: control characters, line and paragraph separators, bidirectional overrides and
  lone surrogates become visible escapes (``\\n``, ``\\x1b``, ``\\u202e``): one finding is one
  line, and a file name cannot start a GitHub workflow command on a line of its own.
- ``text_line``: a line of the text report; a line that would start with ``::`` (a GitHub
  workflow command) is prefixed with ``./``.
- ``md_text`` and ``md_code``: Markdown (the pull-request comment): text that cannot open a link,
  an image, HTML, a heading, a list, math or a code span, nor leave its table cell or code span.
- ``mermaid_text``: a quoted Mermaid label.
- ``html_text``, ``xml_text``: HTML and XML (SVG) content and attribute values.
- ``xml_safe``: text XML 1.0 can hold at all (JUnit); ``uri_path``: a relative path as an
  RFC 3986 URI reference (SARIF ``artifactLocation.uri``).
"""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import quote

# C0 and C1 controls and DEL, the Arabic letter mark, LRM/RLM, line and paragraph separators,
# bidirectional embeddings, overrides and isolates ("Trojan Source"), lone surrogates (file
# names that are not UTF-8) and the two non-characters XML forbids.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e"
                          "\u2066-\u2069\ud800-\udfff\ufffe\uffff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _visible(match: re.Match[str]) -> str:
    ch = match.group()
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: Any) -> str:
    """``text`` on one line, every invisible or layout-changing character shown as an escape."""
    return _UNPRINTABLE.sub(_visible, str(text))


def text_line(line: str) -> str:
    """One line of plain-text output: printable, and never a GitHub workflow command (the
    runner reads any output line starting with ``::``, leading blanks ignored)."""
    return workflow_safe(printable(line))


def workflow_safe(text: str) -> str:
    """``text`` (one or more lines whose repository parts are already printable) with no line
    that a GitHub runner would read as a workflow command."""
    return "\n".join("./" + line if line.lstrip().startswith("::") else line
                     for line in text.split("\n"))


# ----- Markdown ----------------------------------------------------------------------------------
# Characters that open or close inline Markdown (CommonMark and GitHub's extensions: tables,
# strikethrough, math, HTML) wherever they stand. Any ASCII punctuation may be escaped with a
# backslash, and the escaped character is always literal text.
_MD_ALWAYS = set("\\`*[]<>!#|~$&")
_MD_LINE_START = re.compile(r"^(?:[-+=]|\d{1,9}[.)])")
_BARE_LINK = re.compile(r"(?i)(?<=[a-z0-9])[:](?=//)|\bwww[.]")


def md_text(text: Any) -> str:
    """Markdown for ``text`` as literal characters, inside a paragraph, a list item or a table
    cell: nothing in it renders as markup or leaves the cell."""
    plain = printable(text)
    out = []
    for i, ch in enumerate(plain):
        if ch in _MD_ALWAYS or (ch == "_" and not _inside_word(plain, i)):
            out.append("\\" + ch)
        else:
            out.append(ch)
    # GitHub links bare URLs as it parses ':' after a scheme and 'www.': an escape breaks both
    escaped = _BARE_LINK.sub(lambda m: m.group()[:-1] + "\\" + m.group()[-1], "".join(out))
    start = _MD_LINE_START.match(escaped)
    if start:  # a list marker or setext underline when the text starts a list item
        marker = start.group()
        escaped = marker[:-1] + "\\" + marker[-1] + escaped[len(marker):]
    stripped = escaped.lstrip(" ")
    # leading blanks would make an indented code block at the start of a list item
    return "&#32;" * (len(escaped) - len(stripped)) + stripped


def _inside_word(text: str, i: int) -> bool:
    """An underscore between two letters or digits never starts or ends emphasis."""
    return 0 < i < len(text) - 1 and text[i - 1].isalnum() and text[i + 1].isalnum()


def md_code(text: Any, table: bool = True) -> str:
    """``text`` as a Markdown code span: the fence is longer than any run of backticks in it,
    and in a table cell every pipe is escaped (GitHub splits cells on pipes even inside code
    spans); a backslash before a pipe is doubled so that it cannot unescape it."""
    plain = printable(text)
    if plain == "":
        return ""
    if table:
        plain = re.sub(r"(\\*)\|", lambda m: m.group(1) * 2 + "\\|", plain)
    longest = max((len(run) for run in re.findall("`+", plain)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if plain.startswith("`") or plain.endswith("`") or (
        plain.startswith(" ") and plain.endswith(" ") and plain.strip()) else ""
    return f"{fence}{pad}{plain}{pad}{fence}"


# ----- Mermaid -----------------------------------------------------------------------------------
_MERMAID_ESCAPES = {'"': "#quot;", "#": "#35;", "<": "#lt;", ">": "#gt;", "&": "#amp;",
                    "`": "#96;", "|": "#124;", "\\": "#92;"}


def mermaid_text(text: Any) -> str:
    """Text safe inside a quoted Mermaid label (``id["..."]``, ``|"..."|``): the quote that
    would end it, pipes, HTML and backticks (which would close the Markdown fence) as Mermaid
    entities; brackets and arrows are literal text inside the quotes."""
    return "".join(_MERMAID_ESCAPES.get(ch, ch) for ch in printable(text))


# ----- HTML, XML ---------------------------------------------------------------------------------
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def html_text(text: Any) -> str:
    """HTML content or attribute value (quotes escaped)."""
    return html.escape(printable(text), quote=True)


def xml_text(text: Any) -> str:
    """Text safe in XML content and attribute values (control characters dropped)."""
    cleaned = "".join(ch for ch in xml_safe(text) if ch in "\t\n" or ord(ch) >= 32)
    return (cleaned.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&#39;"))


def xml_safe(text: Any) -> str:
    """``text`` with the characters XML 1.0 cannot hold, even as references, shown as escapes
    (ElementTree writes them raw and the document is no longer well-formed)."""
    return _XML_INVALID.sub(_visible, str(text))


# ----- URIs --------------------------------------------------------------------------------------
def uri_path(path: str) -> str:
    """A relative POSIX path as an RFC 3986 relative reference: every character outside the
    unreserved set and ``/`` percent-encoded from its UTF-8 bytes (file names that are not
    UTF-8 keep their bytes), so ``a b#1%.tf`` is ``a%20b%231%25.tf`` and ``a:b.tf`` is not
    read as a scheme. Plain paths (letters, digits, ``-._~/``) are unchanged."""
    return quote(path, safe="/", errors="surrogateescape")
