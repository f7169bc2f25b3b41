"""党建指导员 (issue 19): 指导站, instructors and guidance targets (``register``), assignments and coverage
(``assignments``), weekly logs and the monthly roll-up (``weekly``), 问题帮办 (``tickets``), the yearly
scheme and graded sign-offs (``scheme``, ``assessment``), subsidies (``subsidies``)."""
