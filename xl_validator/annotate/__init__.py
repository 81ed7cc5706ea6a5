"""Write results back: an annotated copy of the workbook (file mode), or findings as CSV/JSON."""
from .workbook import save_atomically, save_text, write_annotated

__all__ = ["write_annotated", "save_atomically", "save_text"]
