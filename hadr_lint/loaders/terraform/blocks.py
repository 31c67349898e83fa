"""Parse only what changed: a ``.tf`` file split into its top-level blocks, each parsed once.

A pre-commit run usually sees a file in which one block changed. ``split`` cuts the text into
chunks of whole lines, one top-level block each (with the comments and blank lines before it),
with a cheap scanner that knows quoted strings (and the ``${...}`` inside them), heredocs and
comments. Each chunk is parsed alone, starting at line 1, and its blocks are moved down to where
the chunk starts (``shifted``); a chunk already parsed in the previous version of the file comes
from the cache instead.

Whenever the split is in doubt the caller parses the whole file: the scanner gives up on
carriage returns, unbalanced brackets, unterminated strings, comments or heredocs, and text
after the last block that is not blank or a comment; a chunk that fails to parse or does not hold
exactly one block also means a whole-file parse (which reports errors with their real lines).
The result equals ``parse_blocks(text)``: tests compare both on every fixture and generated HCL.
"""

from __future__ import annotations

import dataclasses
import re

from hadr_lint.loaders.terraform.parse import Block, HclSyntaxError, parse_blocks

_HEREDOC = re.compile(r"<<-?([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\n")
_CODE = re.compile(r'["#/<{}\[\]()]')
_STRING = re.compile(r'["\\\n$%{}]')
_OPEN = "{[("
_CLOSE = "}])"


class Doubt(Exception):
    """The scanner cannot split this text with certainty: parse the whole file."""


def split(text: str) -> list[tuple[int, str]]:
    """(first line, 0-based; chunk text) for each top-level block, in order. Raises Doubt."""
    if "\r" in text:
        raise Doubt("carriage return")
    try:
        ends = _block_ends(text)
    except RecursionError:  # strings nested in interpolations thousands deep
        raise Doubt("nested too deep") from None
    if not ends:
        raise Doubt("no block")
    if text[ends[-1]:].strip():  # only comments may follow the last block: it takes them
        ends[-1] = len(text)
    chunks = []
    start = line = 0
    for end in ends:
        chunks.append((line, text[start:end]))
        line += text.count("\n", start, end)
        start = end
    return chunks


def _block_ends(text: str) -> list[int]:
    """Offsets just after the line on which each top-level block closes."""
    ends: list[int] = []
    stack: list[str] = []  # open brackets; "$" opens an interpolation inside a string
    i, size = 0, len(text)
    while i < size:
        found = _CODE.search(text, i)  # jump over what cannot open or close anything
        if found is None:
            break
        i = found.start()
        char = text[i]
        if char == '"':
            i = _string_end(text, i + 1, stack)
            continue
        if char == "#" or text.startswith("//", i):
            i = _line_end(text, i)
            continue
        if text.startswith("/*", i):
            close = text.find("*/", i + 2)
            if close < 0:
                raise Doubt("unterminated comment")
            i = close + 2
            continue
        if text.startswith("<<", i):
            match = _HEREDOC.match(text, i)
            if match:
                i = _heredoc_end(text, match)
                continue
        if char in _OPEN:
            stack.append(char)
        elif char in _CLOSE:
            if not stack or _OPEN.index(stack.pop()) != _CLOSE.index(char):
                raise Doubt("unbalanced brackets")
            if not stack:
                i = _after_block(text, i + 1)
                ends.append(i)
                continue
        i += 1
    if stack:
        raise Doubt("unclosed bracket")
    return ends


def _line_end(text: str, i: int) -> int:
    end = text.find("\n", i)
    return len(text) if end < 0 else end


def _after_block(text: str, i: int) -> int:
    """The offset after the newline that ends a block's closing line; only blanks and a line
    comment may follow the brace on that line."""
    end = text.find("\n", i)
    rest = text[i:] if end < 0 else text[i:end]
    stripped = rest.strip()
    if stripped and not stripped.startswith(("#", "//")):
        raise Doubt("text after a closing brace")
    return len(text) if end < 0 else end + 1


def _string_end(text: str, i: int, stack: list[str]) -> int:
    """The offset after the closing quote of a quoted string starting at ``i``; the code of
    its interpolations is scanned for brackets and nested strings."""
    depth = 0  # braces open inside the current interpolation
    inside = False
    while i < len(text):
        found = _STRING.search(text, i)
        if found is None:
            break
        i = found.start()
        char = text[i]
        if char == "\n" and not inside:
            raise Doubt("newline in a string")
        if inside:
            if char == '"':
                i = _string_end(text, i + 1, stack)
                continue
            if char == "{":
                depth += 1
            elif char == "}":
                if depth == 0:
                    inside = False
                else:
                    depth -= 1
            i += 1
            continue
        if char == "\\":
            i += 2
            continue
        if char == '"':
            return i + 1
        if char in "$%" and text.startswith("{", i + 1):
            if text.startswith(char * 2, i - 1) and i > 0:  # $${ and %%{ are literal
                i += 2
                continue
            inside = True
            depth = 0
            i += 2
            continue
        i += 1
    raise Doubt("unterminated string")


def _heredoc_end(text: str, match: re.Match) -> int:
    marker = match.group(1)
    i = match.end()
    while i < len(text):
        end = _line_end(text, i)
        if text[i:end].strip() == marker:
            return end
        i = end + 1
    raise Doubt("unterminated heredoc")


def shifted(block: Block, lines: int, file: str) -> Block:
    """``block`` moved down by ``lines`` (up when negative) and shown as from ``file``."""
    if not lines and block.file == file:
        return block

    def move(line: int) -> int:
        return line + lines if line else line

    attributes = {name: dataclasses.replace(attr, line=move(attr.line))
                  for name, attr in block.attributes.items()} if lines else block.attributes
    return Block(
        type=block.type,
        labels=block.labels,
        attributes=attributes,
        blocks=tuple(shifted(b, lines, file) for b in block.blocks),
        line=move(block.line),
        end_line=move(block.end_line),
        file=file,
        comments=tuple((move(line), text) for line, text in block.comments),
    )


def parse_changed(text: str, file: str, entry: str) -> list[Block]:
    """``parse_blocks(text, file)``, parsing only the blocks that were not in the previous
    version of ``file`` this cache saw; the whole file when the split is in doubt.

    ``entry`` is the cache key the caller stores the result under. A small entry per path
    remembers it with the digest and first line of each chunk, so the next version takes
    unchanged blocks from that result, moved to their new lines: the blocks are pickled once.
    """
    from hadr_lint import cache

    try:
        chunks = split(text)
    except Doubt:
        return parse_blocks(text, file)
    names = [(cache.digest(chunk), first) for first, chunk in chunks]
    index = cache.key("hcl-blocks", file)
    known = _previous(cache.load(index), file)
    blocks = []
    for (name, first), (_, chunk) in zip(names, chunks, strict=True):
        if name in known:
            old_first, block = known[name]
            blocks.append(shifted(block, first - old_first, file))
            continue
        try:
            parsed = parse_blocks(chunk)
        except HclSyntaxError:
            return parse_blocks(text, file)  # the error with its real line
        if len(parsed) != 1:
            return parse_blocks(text, file)
        blocks.append(shifted(parsed[0], first, file))
    cache.store(index, (entry, names))
    return blocks


def _previous(index: object, file: str) -> dict[str, tuple[int, Block]]:
    """Chunk digest -> (first line, block) of the version of ``file`` the index describes."""
    from hadr_lint import cache

    if not (isinstance(index, tuple) and len(index) == 2 and isinstance(index[0], str)):
        return {}
    entry, names = index
    blocks = cache.load(entry)
    if not isinstance(blocks, list) or len(blocks) != len(names):
        return {}
    if any(not isinstance(b, Block) or b.file != file for b in blocks):
        return {}
    return {name: (first, block) for (name, first), block in zip(names, blocks, strict=True)}
