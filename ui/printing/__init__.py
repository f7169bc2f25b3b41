"""Print preview (QPdfView), printing through the system dialog, and batch export of handbooks."""
