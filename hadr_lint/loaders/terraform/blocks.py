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

from hadr_lint import cache
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
    """``parse_blocks(text, file)``, parsing only the blocks that were not in the versions of
    ``file`` this cache saw last; the whole file when the split is in doubt. Stores what the
    next version needs; ``entry`` is this version's own cache key (``cache.load(entry)`` gives
    the blocks when it was stored).

    A small index per path remembers a *base*: the entry of one earlier version whose blocks
    were stored whole, with the digest and first line of each of its chunks, plus the blocks of
    the chunks this version has that the base has not (the *extras*, each stored with its first
    line). A one-block edit then stores that one block, not the 300 KB of a large file's blocks
    again (20 ms to pickle): this version's own entry is written, and becomes the base, only
    when there is no usable base or the extras reach a quarter of the chunks.
    """
    try:
        chunks = split(text)
    except Doubt:
        return _whole(text, file, entry)
    names = [(cache.digest(chunk), first) for first, chunk in chunks]
    index = cache.key("hcl-blocks", file)
    base, base_names, known = _previous(cache.load(index), file)
    if base is None:  # no earlier version: one parse of the file beats one per block (cold scans)
        blocks = _whole(text, file, entry)
        if len(blocks) == len(names):
            cache.store(index, (entry, names, {}))
        return blocks
    blocks = []
    for (name, first), (_, chunk) in zip(names, chunks, strict=True):
        if name in known:
            old_first, block = known[name]
            blocks.append(shifted(block, first - old_first, file))
            continue
        try:
            parsed = parse_blocks(chunk)
        except HclSyntaxError:
            return _whole(text, file, entry)  # the error with its real line
        if len(parsed) != 1:
            return _whole(text, file, entry)
        blocks.append(shifted(parsed[0], first, file))
    in_base = {name for name, _ in base_names}
    extras = {name: (first, block) for (name, first), block in zip(names, blocks, strict=True)
              if name not in in_base}
    if base is None or len(extras) * 4 > len(names):
        cache.store(entry, blocks)
        cache.store(index, (entry, names, {}))
    else:
        cache.store(index, (base, base_names, extras))
    return blocks


def parse_file_changed(text: str, file: str) -> list[Block]:
    """``parse_changed`` under the cache key the Terraform loader gives a ``.tf`` file's
    blocks: the parse function of the loader's prefetch (worker processes)."""
    return parse_changed(text, file, cache.key("hcl", "parse_blocks", file, cache.digest(text)))


def _whole(text: str, file: str, entry: str) -> list[Block]:
    blocks = parse_blocks(text, file)
    cache.store(entry, blocks)
    return blocks


def _previous(index: object, file: str) -> tuple[str | None, list, dict[str, tuple[int, Block]]]:
    """The base entry's key, its chunks (digest, first line), and chunk digest -> (first line,
    block) of every chunk the index knows (the base's and the extras); nothing usable: None."""
    nothing: tuple[str | None, list, dict] = (None, [], {})
    if not (isinstance(index, tuple) and len(index) == 3 and isinstance(index[0], str)
            and isinstance(index[1], list) and isinstance(index[2], dict)):
        return nothing
    base, names, extras = index
    blocks = cache.load(base)
    if not isinstance(blocks, list) or len(blocks) != len(names):
        return nothing
    known = dict(extras)
    known.update((name, (first, block)) for (name, first), block in zip(names, blocks,
                                                                          strict=True))
    if any(not (isinstance(v, tuple) and len(v) == 2 and isinstance(v[1], Block)
                and v[1].file == file) for v in known.values()):
        return nothing
    return base, names, known
