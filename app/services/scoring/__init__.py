"""Points: the 积分细则 per year (schemes), monthly points set by hand (scores), the 月度积分 grid of a
month (grid), the SQL that caps and totals them (aggregate) and the raw figures of the Excel ledger
(ledger_sheet)."""
