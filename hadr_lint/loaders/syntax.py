"""Syntax errors in the user's words: ``unexpected '{' at line 28, column 16`` rather than
Lark's ``Token('LBRACE', '{')`` dump, and for YAML the construct that is not closed (``in the list
opened by '[' at line 7, column 13``) rather than libyaml's bare ``did not find expected ','``."""

from __future__ import annotations

from typing import Any

# Lark terminal names of python-hcl2's grammar that read well as the character itself.
PUNCTUATION = {"COMMA": ",", "RSQB": "]", "LSQB": "[", "RBRACE": "}", "LBRACE": "{",
               "RPAR": ")", "LPAR": "(", "EQ": "=", "COLON": ":", "DBLQUOTE": '"'}
IGNORED = {"NL_OR_COMMENT", "$END"}


def hcl_message(exc: Any) -> str:
    """One line for a ``lark.exceptions.UnexpectedInput`` raised while parsing HCL."""
    where = f"line {exc.line}, column {exc.column}"
    char = getattr(exc, "char", None)
    if char is not None:  # UnexpectedCharacters
        return f"unexpected character {_quoted(char)} at {where}"
    token = getattr(exc, "token", None)
    if token is None or token.type == "$END":
        return f"unexpected end of file at {where}: a block, bracket or string is not closed"
    text = str(token.value).splitlines()[0] if str(token.value).strip() else ""
    shown = _quoted(text[:20]) if text else token.type.lower()
    return f"unexpected {shown} at {where}{_expected(getattr(exc, 'expected', None))}"


def _expected(names: Any) -> str:
    wanted = sorted(set(names or ()) - IGNORED)
    if not wanted or len(wanted) > 3 or any(n not in PUNCTUATION for n in wanted):
        return ""
    return " (expected " + " or ".join(_quoted(PUNCTUATION[n]) for n in wanted) + ")"


def _quoted(text: str) -> str:
    return repr(text) if "'" not in text else f'"{text}"'


# PyYAML's context ("while parsing a flow sequence") -> the construct in plain words.
CONSTRUCTS = {
    "a flow sequence": "the list opened by '['",
    "a flow mapping": "the mapping opened by '{'",
    "a block mapping": "the mapping that starts",
    "a block collection": "the list that starts",
    "a quoted scalar": "the quoted string that starts",
    "a simple key": "the key that starts",
    "a block scalar": "the block text (| or >) that starts",
    "an alias": "the alias (*) that starts",
    "an anchor": "the anchor (&) that starts",
    "a tag": "the tag (!) that starts",
    "a directive": "the directive (%) that starts",
}
TOKENS = {
    "'<scalar>'": "a value", "'<stream end>'": "the end of the file",
    "'<block mapping start>'": "a new key", "<block end>": "the end of the indented block",
    "'<block end>'": "the end of the indented block", "'<block entry>'": "a list item '-'",
    "'<block sequence start>'": "a list", "'<flow mapping start>'": "'{'",
    "'<flow sequence start>'": "'['", "'?'": "a '?' (a complex key: check the indentation)",
}
PROBLEMS = {
    "mapping values are not allowed here": "':' is not allowed here (quote a value that "
                                           "contains ': ', or check the indentation)",
    "found unexpected end of stream": "the file ends before it is closed",
    "found character '\\t' that cannot start any token": "a tab character: YAML indents with "
                                                         "spaces only",
}


def yaml_error(text: str) -> tuple[int, str] | None:
    """(line, message) of the first YAML syntax error in ``text``, or None when it parses.

    Reads events only (nothing is constructed, no alias is expanded): safe on any input."""
    import yaml  # start-up: only when a YAML template failed to load (HCL errors need no yaml)

    try:
        for _ in yaml.parse(text, Loader=yaml.SafeLoader):
            pass
    except yaml.MarkedYAMLError as exc:
        return _yaml_message(exc)
    except (yaml.YAMLError, RecursionError, ValueError):
        return None
    return None


def _yaml_message(exc: Any) -> tuple[int, str] | None:
    mark = exc.problem_mark or exc.context_mark
    if mark is None:
        return None
    problem = PROBLEMS.get(exc.problem or "", exc.problem or "syntax error")
    for token, words in TOKENS.items():
        problem = problem.replace(token, words)
    problem = problem.replace(", but got ", " but found ").replace(", but found ", " but found ")
    message = f"line {mark.line + 1}, column {mark.column + 1}: {problem}"
    context = (exc.context or "").removeprefix("while parsing ").removeprefix("while scanning ")
    construct = CONSTRUCTS.get(context)
    if construct and exc.context_mark is not None:
        start = exc.context_mark
        message += f", in {construct} at line {start.line + 1}, column {start.column + 1}"
    return mark.line + 1, message
