"""Footer, help and palette text in the UI language, from each Binding's id.

Textual reads a Binding's description and tooltip from the class-level
BINDINGS, which are fixed at import. Every binding here has an ``id``; the
catalogues hold ``key.<id>`` (the footer word) and ``tip.<id>`` (the
tooltip), and :func:`translate_bindings` swaps them into a node's binding map
when it mounts and on a language switch. The map is copied per node by
Textual, so replacing its lists never touches another node or the class.
"""

from __future__ import annotations

from dataclasses import replace

from textual.binding import Binding
from textual.dom import DOMNode

from grouppass_tui.i18n import t

__all__ = ["binding_text", "translate_bindings"]


def binding_text(binding: Binding) -> tuple[str, str]:
    """The (description, tooltip) of ``binding`` in the current language."""
    if binding.id is None:
        return binding.description, binding.tooltip
    return t(f"key.{binding.id}"), t(f"tip.{binding.id}")


def translate_bindings(node: DOMNode, *, deep: bool = False) -> None:
    """Put ``node``'s binding texts (and its descendants' with ``deep``) in the UI language."""
    if deep:
        for child in node.walk_children(with_self=False):
            translate_bindings(child)
    # _bindings is the node's own copy of its merged BINDINGS (DOMNode.__init__);
    # there is no public way to change a description after class creation.
    bindings = node._bindings.key_to_bindings
    for key, items in list(bindings.items()):
        new = []
        for binding in items:
            if binding.id is None:
                new.append(binding)
                continue
            description, tooltip = binding_text(binding)
            new.append(replace(binding, description=description, tooltip=tooltip))
        bindings[key] = new
