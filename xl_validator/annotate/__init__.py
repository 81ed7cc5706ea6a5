"""Write results back: an annotated copy of the workbook (file mode), or findings as CSV/JSON."""
from ..outputs import save_atomically, save_text
from .workbook import write_annotated

__all__ = ["write_annotated", "save_atomically", "save_text"]
