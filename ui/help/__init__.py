"""Help inside the app: the manual (F1), the list of shortcut keys."""
