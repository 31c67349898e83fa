"""Analysis that several rules, the objectives and the reports share, written against the graph.

- ``region_scope``: a resource's region, the region a value designates, DNS entries, stores.
- ``copies``: a data store's copies in other regions (ECR repositories' and secrets' too), and
  the logs a bucket receives.
- ``az_spread``: the AZ-spread checks of the AZ-scope rules.
- ``zonal_routes``: route tables whose subnets route to a NAT gateway or a firewall / Gateway
  Load Balancer endpoint in another AZ (HA008, HA017).
- ``replica_keys``: the KMS keys of cross-region database and table replicas (DR009).
- ``recoverability``: what protects a store from a mistaken delete and lets it be recovered.
- ``backup_links``: which AWS Backup plans cover which resources.
- ``protection``: a store's zone redundancy and backups, one function per fact (the RPO
  estimates, the recoverability analysis and the posture report's stores table read them).

Nothing here imports ``hadr_lint.rules``: rules depend on analysis, never the other way.
"""
