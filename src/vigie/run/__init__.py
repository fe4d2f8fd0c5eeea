"""Executors for the NLP step: worker processes that load the pipelines once, with per-article time and memory
budgets, replaced when they die, and that never outlive the run that started them."""
from vigie.run.pool import PoolError, TaskFailure, WorkerPool

__all__ = ["PoolError", "TaskFailure", "WorkerPool"]
