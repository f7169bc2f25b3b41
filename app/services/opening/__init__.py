"""Opening a ledger: migrate and seed a file, start a blank unit (setup), take the single-writer lock
or open read-only (access), and load the demo development zone (demo, demo_names)."""
