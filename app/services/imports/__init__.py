"""Excel imports: what a read sheet hands over (sheets), score batches previewed and applied after a
backup (batches), roster and organisation-register imports (registers), exact undo of the last batch
(undo) and column mappings remembered per set of headers (mappings). Reading the files is app.io's."""
