"""Words a help text must keep whole: those of a command's help texts that hold a hyphen, a dot
or a slash (file names, options, review ids), and finding any broken across two lines."""

from __future__ import annotations

import re

import click

#: what a word may be wrapped in, in a help text
_EDGES = "()[]{}<>,;:'\"`"


def all_commands(command: click.Command, path: tuple[str, ...] = ()):
    """``(path, command)`` of ``command`` and of every command under it."""
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from all_commands(sub, path + (name,))


def joined_words(command: click.Command) -> set[str]:
    """The words of the help texts ``command``'s help shows (its own, its parameters', its
    sub-commands') that hold a hyphen, a dot or a slash."""
    texts = [command.help or "", command.short_help or ""]
    for param in command.params:
        texts += [getattr(param, "help", None) or "", *param.opts, *param.secondary_opts, param.metavar or ""]
    texts += [sub.short_help or sub.help or "" for sub in getattr(command, "commands", {}).values()]
    words = {w.strip(_EDGES).rstrip(".") for text in texts for w in text.split()}
    return {w for w in words if re.search(r"\w[-./]|[-./]\w", w)}


def split_words(text: str, words: set[str]) -> list[str]:
    """The ``words`` broken across two lines of ``text``: whole in the end of one line joined
    to the start of the next, and in neither alone."""
    lines = [line.split() for line in text.splitlines()]
    split = []
    for above, below in zip(lines, lines[1:]):
        if above and below:
            end, start = above[-1], below[0]
            split += [w for w in words if w in end + start and w not in end and w not in start]
    return split
