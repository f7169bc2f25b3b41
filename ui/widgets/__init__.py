"""Small widgets shared by every page: pickers, error dialogs, progress for background work."""
