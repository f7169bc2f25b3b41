"""Qt item models over the frozen dataclasses returned by app.services."""
