"""Tables for Excel import batches and exchange packages (filled by the Excel/exchange work)."""
