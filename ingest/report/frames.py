"""Reporting frames (rules/frames.yaml): "Northshire Police's IMR said that ...", "It noted that ...".

A frame says whose record a sentence of the story comes from. The events pass reads what follows the frame
as the sentence (so the frame's *IMR* does not make it one of the review's own steps) and takes the body
whose record it is as the actor.
"""

from __future__ import annotations

from dataclasses import dataclass

from .rules import load_rules, note_hit


@dataclass(frozen=True)
class Frame:
    end: int                 # where the reported sentence starts
    owner: str | None        # the words naming whose record it is ("Northshire Police", "Trust"), if any


def reporting_frame(sentence: str) -> Frame | None:
    """The frame the sentence opens with, or None."""
    if "said" not in sentence and "IMR" not in sentence and not _maybe_frame(sentence):
        return None
    for rule in load_rules("frames").active():
        m = rule.search(sentence)
        if m is not None:
            note_hit(rule.id)
            owner = m.groupdict().get("owner")
            return Frame(m.end(), owner)
    return None


def _maybe_frame(sentence: str) -> bool:
    """A cheap test before the patterns: most sentences hold none of the frames' verbs."""
    head = sentence[:160].lower()
    return any(w in head for w in ("record", "note", "state", "show", "report", "explain", "confirm", "describ",
                                   "found", "according to"))
