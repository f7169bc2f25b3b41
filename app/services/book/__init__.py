"""The 党务工作记录 "一本通" (7 大项 / 17 小项): work records entered once, earning the points of the
scoring item their type is linked to (records)."""
