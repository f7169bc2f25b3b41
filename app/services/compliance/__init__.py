"""组织生活 compliance: required meetings per year (requirements), exemptions, and each period's status."""
