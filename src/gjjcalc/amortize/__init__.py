"""Schedules, prepayment and payoff of one loan (exact), and the batch kernels."""
