"""结对共建: the pairing rules of a year (rules), pairings and their evaluation (pairings), the year's
check of existing pairings (review), suggestions for unpaired C-class organisations (suggest), and the
结对共建活动 work records that name a pair (activities)."""
