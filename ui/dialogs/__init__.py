"""Dialogs for editing organisations, committees, members and for the first start."""
