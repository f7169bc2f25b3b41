"""Printable documents (reportlab): the 党支部工作手册 and the township's notices and tables."""
