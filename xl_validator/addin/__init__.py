"""The Excel desktop add-in ``xl_validator.xlam``: built from text, installed per user.

``build_addin`` writes it; ``add_commands`` registers ``addin build|install|remove|status``.
"""
from .build import build_addin
from .install import add_commands

__all__ = ["add_commands", "build_addin"]
