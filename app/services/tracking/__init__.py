"""书记项目台账 and 重点任务台账 on one tracking engine (milestones, dated logs, 滞后/临期), 清单调度, 例会, 盯跟晒."""
