"""The figures of the 概览 page, read in one pass from the other capabilities (dashboard)."""
