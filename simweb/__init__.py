"""The simulated OPD web: seeded local-government sites served on 127.0.0.1, with their ground truth.

Shares no code with ronda's crawler, signals or monitors: it is the honest opponent
that `ronda demo`, the tests and the benchmarks crawl.
"""
