"""Recovery objectives: what a workload declares (strategy, RPO, RTO), what each strategy can
deliver, and what the infrastructure can deliver, estimated from the graph with its evidence.

* ``durations``: ``30s``, ``5m``, ``1h``, ``1d`` <-> seconds.
* ``strategies``: the reference table (one place, overridable with ``strategies:`` in the config).
* ``declare``: the declared objectives of each workload (config, workloads, template metadata,
  command line), and which resources belong to which workload.
* ``schedule``: AWS Backup ``cron()`` / ``rate()`` expressions -> the interval between runs.
* ``estimate``: RPO and RTO estimates per failure scope, each with its evidence chain.
"""
