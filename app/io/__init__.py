"""Excel import/export (openpyxl) and exchange packages between installations."""
