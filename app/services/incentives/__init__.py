"""结果运用: incentive rules per year (奖补兑现 / 绩效评定) from confirmed grades, and the 表彰 and
补助经费 registers."""
