"""The yearly benchmark report: figures, tables (CSV, XLSX, LaTeX) and the PDF (Typst)."""
