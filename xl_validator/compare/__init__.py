"""Comparing councils: error profiles into a regional benchmark workbook, and many returns
validated at once. Figures come from ``report.profile`` and ``report.benchmark``."""
