"""Menu actions added to the main window by each area: every module here has install(window)."""
