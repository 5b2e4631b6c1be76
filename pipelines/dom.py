"""Small operations on lxml element trees shared by the extraction layers."""

from __future__ import annotations

from lxml import etree


def drop_tree(element: etree._Element) -> None:
    """``lxml.html``'s drop_tree() for plain ``etree`` elements: remove the element and its children, and
    keep the text that follows it (its tail). An element without a parent (a root) stays."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        previous = element.getprevious()
        if previous is None:
            parent.text = (parent.text or "") + element.tail
        else:
            previous.tail = (previous.tail or "") + element.tail
    parent.remove(element)
