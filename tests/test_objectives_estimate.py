"""RPO and RTO estimates on small hand-built graphs, against hand-computed values."""

from __future__ import annotations

import math

from hadr_lint.config import parse_config
from hadr_lint.graph import Graph
from hadr_lint.model import Location, Ref, Resource, Unknown
from hadr_lint.objectives import estimate as E

CONFIG = parse_config({})


def res(address: str, kind: str, region: object = "us-east-1", **attributes) -> Resource:
    return Resource(address=address, name=address, type=kind, location=Location("main.tf", 1),
                    region=region, kind=kind, attributes=attributes)


def table(name="aws_dynamodb_table.orders", **attributes):
    attributes.setdefault("replica_regions", [])
    return res(name, "dynamodb_table", tags={"backup": "daily"}, **attributes)


def backup(schedule, destination="arn:aws:backup:us-west-2:123456789012:backup-vault:dr",
           selected="aws_dynamodb_table.orders"):
    plan = res("aws_backup_plan.p", "backup_plan", rules=[{
        "name": "r", "schedule": schedule, "vault": "main",
        "copy_actions": [{"destination_vault": destination}] if destination else []}])
    selection = res("aws_backup_selection.s", "backup_selection", plan=Ref("aws_backup_plan.p"),
                    resources=[Ref(selected)], tags=[], conditions=[])
    return [plan, selection]


def rpo(resources, scope="region", store="aws_dynamodb_table.orders", config=CONFIG):
    graph = Graph(resources)
    return E.store_rpo(graph, graph.get(store), scope, config)


# ----- RPO --------------------------------------------------------------------------------------
def test_region_rpo_from_daily_backup_copy():
    found = rpo([table(), *backup("cron(0 5 * * ? *)")])
    assert found.value_seconds == 86400
    assert found.evidence[0].resource == "aws_backup_plan.p"
    assert found.evidence[0].attribute == "rules[r].schedule"
    assert "cron(0 5 * * ? *)" in found.evidence[0].contribution


def test_region_rpo_from_four_hourly_and_rate_schedules():
    assert rpo([table(), *backup("cron(0 */4 * * ? *)")]).value_seconds == 4 * 3600
    assert rpo([table(), *backup("rate(12 hours)")]).value_seconds == 12 * 3600


def test_malformed_schedule_makes_the_rpo_unknown():
    found = rpo([table(), *backup("cron(0 5 * *)")])
    assert found.value_seconds is None
    assert "6 fields" in found.unknown_reason


def test_backup_in_the_same_region_is_no_region_copy():
    same = "arn:aws:backup:us-east-1:123456789012:backup-vault:main"
    assert rpo([table(), *backup("cron(0 5 * * ? *)", same)]).value_seconds == math.inf
    # ... but it counts for a zone loss of single-zone data: see the RDS test below.


def test_global_table_gives_one_second_and_beats_the_backup():
    found = rpo([table(replica_regions=["us-west-2"]), *backup("cron(0 5 * * ? *)")])
    assert found.value_seconds == 1
    assert found.evidence[0].attribute == "replica_regions"
    assert "asynchronous replication, typically under a second" in found.summary


def test_unknown_copy_beats_nothing_known_but_not_one_second():
    unknown_replicas = [Unknown("var.regions has no value")]
    found = rpo([table(replica_regions=unknown_replicas), *backup("cron(0 5 * * ? *)")])
    assert found.value_seconds is None and "var.regions" in found.unknown_reason
    found = rpo([table(replica_regions=["us-west-2", Unknown("x")])])
    assert found.value_seconds == 1


def test_no_copy_is_unbounded():
    found = rpo([table()])
    assert found.value_seconds == math.inf
    assert "no copy of aws_dynamodb_table.orders outside its region" in found.summary


def test_zone_loss_of_regional_services_is_zero():
    assert rpo([table()], "az").value_seconds == 0


def test_rds_single_az_zone_loss_uses_point_in_time_restore():
    db = res("aws_db_instance.db", "db_instance", multi_az=False, backup_retention=7)
    assert rpo([db], "az", "aws_db_instance.db").value_seconds == 300
    assert rpo([db], "region", "aws_db_instance.db").value_seconds == math.inf
    multi = res("aws_db_instance.db", "db_instance", multi_az=True, backup_retention=7)
    assert rpo([multi], "az", "aws_db_instance.db").value_seconds == 0


def test_rds_unknown_multi_az_is_unknown_for_a_zone_loss():
    db = res("aws_db_instance.db", "db_instance", multi_az=Unknown("var.multi_az"))
    found = rpo([db], "az", "aws_db_instance.db")
    assert found.value_seconds is None and "var.multi_az" in found.unknown_reason


def test_cross_region_read_replica():
    db = res("aws_db_instance.db", "db_instance", multi_az=True, backup_retention=7)
    replica = res("aws_db_instance.r", "db_instance", "us-west-2",
                  replicate_source=Ref("aws_db_instance.db"))
    found = rpo([db, replica], "region", "aws_db_instance.db")
    assert found.value_seconds == 1 and found.evidence[0].resource == "aws_db_instance.r"
    graph = Graph([db, replica])
    assert [s.name for s in E.stateful_stores(graph)] == ["aws_db_instance.db"]


def test_aurora_global_database_secondary_and_primary():
    primary = res("aws_rds_cluster.a", "db_cluster", global_cluster=Ref("aws_rds_global_cluster.g"))
    secondary = res("aws_rds_cluster.b", "db_cluster", "us-west-2",
                    global_cluster=Ref("aws_rds_global_cluster.g"))
    glob = res("aws_rds_global_cluster.g", "db_global_cluster", None)
    graph = Graph([glob, primary, secondary])
    assert [s.name for s in E.stateful_stores(graph)] == ["aws_rds_cluster.a"]
    assert [s.name for s in E.stateful_stores(graph, None, "us-west-2")] == ["aws_rds_cluster.b"]
    assert E.store_rpo(graph, primary, "region", CONFIG).value_seconds == 1


def test_aurora_global_without_secondary_is_unknown():
    primary = res("aws_rds_cluster.a", "db_cluster", global_cluster="orders")
    found = rpo([primary], "region", "aws_rds_cluster.a")
    assert found.value_seconds is None and "no secondary cluster" in found.unknown_reason


def s3(rtc):
    bucket = res("aws_s3_bucket.b", "s3_bucket", replication_destinations=[])
    target = res("aws_s3_bucket.d", "s3_bucket", "us-west-2", replication_destinations=[])
    config = res("aws_s3_bucket_replication_configuration.c", "s3_replication",
                 bucket=Ref("aws_s3_bucket.b"), destinations=[Ref("aws_s3_bucket.d")],
                 replication_time=rtc)
    return [bucket, target, config]


def test_s3_replication_with_and_without_rtc():
    assert rpo(s3(True), store="aws_s3_bucket.b").value_seconds == 900
    assert rpo(s3(False), store="aws_s3_bucket.b").value_seconds == math.inf
    found = rpo(s3(Unknown("var.rtc")), store="aws_s3_bucket.b")
    assert found.value_seconds is None
    graph = Graph(s3(True))
    assert [s.name for s in E.stateful_stores(graph)] == ["aws_s3_bucket.b"]


def test_efs_replication_is_fifteen_minutes():
    fs = res("aws_efs_file_system.f", "efs_file_system")
    copy = res("aws_efs_replication_configuration.c", "efs_replication",
               file_system=Ref("aws_efs_file_system.f"), destination_regions=["us-west-2"])
    assert rpo([fs, copy], store="aws_efs_file_system.f").value_seconds == 900


def test_workload_rpo_is_the_worst_store():
    graph = Graph([table(replica_regions=["us-west-2"]),
                   res("aws_s3_bucket.logs", "s3_bucket", replication_destinations=[])])
    stores = E.stateful_stores(graph)
    per_store = {s.address: E.store_rpo(graph, s, "region", CONFIG) for s in stores}
    worst = E.workload_rpo(per_store, stores)
    assert worst.value_seconds == math.inf
    assert worst.summary.startswith("aws_s3_bucket.logs:")


def test_estimates_are_frozen():
    found = rpo([table()])
    try:
        found.value_seconds = 0  # type: ignore[misc]
    except AttributeError:
        return
    raise AssertionError("Estimate is not frozen")


# ----- RTO --------------------------------------------------------------------------------------
def routing(threshold=3, interval=30, ttl=60, alias=None, check="aws_route53_health_check.p"):
    hc = res("aws_route53_health_check.p", "health_check", failure_threshold=threshold,
             request_interval=interval)
    primary = res("aws_route53_record.p", "dns_record", zone="Z1", record_name="app.example.com",
                  record_type="A", routing="failover", failover="PRIMARY",
                  health_check=Ref(check) if check else None, ttl=ttl, alias_target=alias)
    secondary = res("aws_route53_record.s", "dns_record", "us-west-2", zone="Z1",
                    record_name="app.example.com", record_type="A", routing="failover",
                    failover="SECONDARY", health_check=None, ttl=600, alias_target=alias)
    return [hc, primary, secondary]


def test_region_rto_detection_ttl_and_step():
    graph = Graph(routing(3, 10, 60))
    found = E.region_rto(graph, None, "warm-standby", CONFIG)
    assert found.value_seconds == 30 + 60 + 60
    assert [e.resource for e in found.evidence] == [
        "aws_route53_health_check.p", "aws_route53_record.p", ""]
    assert found.evidence[2].attribute == "recovery_steps.scale_up"


def test_region_rto_per_strategy_and_configured_steps():
    graph = Graph(routing())
    base = 90 + 60
    assert E.region_rto(graph, None, "backup-restore", CONFIG).value_seconds == base + 4 * 3600
    assert E.region_rto(graph, None, "pilot-light", CONFIG).value_seconds == base + 300
    assert E.region_rto(graph, None, "active-active", CONFIG).value_seconds == base
    config = parse_config({"recovery_steps": {"scale_out": "15m"}})
    assert E.region_rto(graph, None, "pilot-light", config).value_seconds == base + 900


def test_alias_record_counts_sixty_seconds():
    graph = Graph(routing(2, 10, None, alias=Ref("aws_lb.p", "dns_name")))
    assert E.region_rto(graph, None, "active-active", CONFIG).value_seconds == 20 + 60


def test_manual_failover_is_unbounded_unless_configured():
    graph = Graph([table()])
    assert E.region_rto(graph, None, "pilot-light", CONFIG).value_seconds == math.inf
    config = parse_config({"recovery_steps": {"manual_failover": "30m"}})
    assert E.region_rto(graph, None, "pilot-light", config).value_seconds == 1800 + 300


def test_unknown_health_check_input_makes_the_rto_unknown():
    graph = Graph(routing(Unknown("var.threshold")))
    found = E.region_rto(graph, None, "warm-standby", CONFIG)
    assert found.value_seconds is None and "failure_threshold unknown" in found.unknown_reason


def test_no_strategy_no_region_rto():
    found = E.region_rto(Graph([table()]), None, None, CONFIG)
    assert found.value_seconds is None and "no strategy" in found.unknown_reason


def test_zone_rto_of_stores():
    multi = res("aws_db_instance.db", "db_instance", multi_az=True)
    single = res("aws_db_instance.one", "db_instance", multi_az=False)
    cluster = res("aws_rds_cluster.c", "db_cluster")
    members = [res(f"aws_rds_cluster_instance.m{i}", "db_instance",
                   cluster=Ref("aws_rds_cluster.c")) for i in range(2)]
    graph = Graph([multi, single, cluster, *members, table()])
    assert E.store_az_rto(graph, multi, CONFIG).value_seconds == 120
    assert E.store_az_rto(graph, single, CONFIG).value_seconds == 4 * 3600
    assert E.store_az_rto(graph, cluster, CONFIG).value_seconds == 30
    assert E.store_az_rto(graph, graph.get("aws_dynamodb_table.orders"), CONFIG).value_seconds == 0
    lone = Graph([cluster, members[0]])
    assert E.store_az_rto(lone, cluster, CONFIG).value_seconds == 600
    stores = E.stateful_stores(graph)
    assert E.az_rto(graph, stores, CONFIG).value_seconds == 4 * 3600


# ----- health checks that poll nothing themselves ----------------------------------------------
def check(address: str, kind: str = "HTTPS", **attributes) -> Resource:
    polling = kind not in ("CALCULATED", "CLOUDWATCH_METRIC")
    attributes.setdefault("failure_threshold", 3 if polling else None)
    attributes.setdefault("request_interval", 30 if polling else None)
    return res(address, "health_check", check_type=kind, **attributes)


def alarm(address: str = "aws_cloudwatch_metric_alarm.a", **attributes) -> Resource:
    attributes.setdefault("metric_math", False)
    return res(address, "metric_alarm", name="latency", **attributes)


def detection(resources, address: str) -> E.Estimate:
    graph = Graph(resources)
    return E.check_detection(graph, graph.get(address))


def test_calculated_check_follows_its_slowest_child_through_nested_checks():
    fast = check("aws_route53_health_check.fast", failure_threshold=2, request_interval=10)
    metric = check("aws_route53_health_check.metric", "CLOUDWATCH_METRIC",
                   alarm=Ref("aws_cloudwatch_metric_alarm.a", "alarm_name"))
    inner = check("aws_route53_health_check.inner", "CALCULATED",
                  child_checks=[Ref("aws_route53_health_check.metric")])
    outer = check("aws_route53_health_check.outer", "CALCULATED",
                  child_checks=[Ref("aws_route53_health_check.fast"),
                                Ref("aws_route53_health_check.inner")])
    found = detection([fast, metric, inner, outer,
                       alarm(period=120, evaluation_periods=4)], outer.address)
    assert found.value_seconds == 480
    assert [e.resource for e in found.evidence] == [
        "aws_cloudwatch_metric_alarm.a", "aws_route53_health_check.metric",
        "aws_route53_health_check.inner", "aws_route53_health_check.outer"]


def test_calculated_check_health_threshold_picks_the_child_that_decides():
    """Healthy while at least T of n children are: when the region fails it turns unhealthy
    once n - T + 1 children have."""
    children = [check(f"aws_route53_health_check.c{i}", failure_threshold=3,
                      request_interval=interval) for i, interval in enumerate((10, 30, 30))]
    children[2] = check("aws_route53_health_check.c2", failure_threshold=5, request_interval=30)
    refs = [Ref(c.address) for c in children]

    def outer(threshold):
        calculated = check("aws_route53_health_check.outer", "CALCULATED", child_checks=refs,
                           child_threshold=threshold)
        return detection([*children, calculated], calculated.address)

    assert outer(None).value_seconds == 150  # no threshold: the slowest, an upper bound
    assert outer(1).value_seconds == 150     # all three must fail
    assert outer(2).value_seconds == 90      # two must fail: the second fastest
    assert outer(3).value_seconds == 30      # one failing is enough: the fastest
    assert "fastest child check" in outer(3).evidence[-1].contribution
    assert "health threshold 3 of 3" in outer(3).evidence[-1].contribution
    assert outer(0).value_seconds == math.inf  # never unhealthy: no automatic failover
    assert "needs 4 healthy children of 3" in outer(4).unknown_reason
    assert "variable t has no value" in outer(Unknown("variable t has no value")).unknown_reason


def test_alarm_found_by_name_and_unknowns_never_default():
    by_name = check("aws_route53_health_check.m", "CLOUDWATCH_METRIC", alarm="latency")
    assert detection([by_name, alarm(period=60, evaluation_periods=3)],
                     by_name.address).value_seconds == 180
    cases = {
        "not among the scanned resources": [by_name],
        "uses metric math": [by_name, alarm(period=None, evaluation_periods=3,
                                            metric_math=True)],
        "period of alarm aws_cloudwatch_metric_alarm.a unknown: variable p has no value":
            [by_name, alarm(period=Unknown("variable p has no value"), evaluation_periods=3)],
    }
    for reason, resources in cases.items():
        found = detection(resources, by_name.address)
        assert found.value_seconds is None and reason in found.unknown_reason, found
    nameless = check("aws_route53_health_check.n", "CLOUDWATCH_METRIC")
    assert "names no alarm" in detection([nameless], nameless.address).unknown_reason


def test_calculated_check_without_known_children_or_type_is_unknown():
    empty = check("aws_route53_health_check.e", "CALCULATED", child_checks=[])
    assert "lists no child checks" in detection([empty], empty.address).unknown_reason
    loop = check("aws_route53_health_check.l", "CALCULATED",
                 child_checks=[Ref("aws_route53_health_check.l")])
    assert "includes itself" in detection([loop], loop.address).unknown_reason
    typed = check("aws_route53_health_check.t", Unknown("variable kind has no value"))
    assert "may be CALCULATED" in detection([typed], typed.address).unknown_reason


def test_calculated_and_metric_checks_get_no_default_threshold():
    from hadr_lint.normalise import normalise

    def normalised(rtype: str, source: str, raw: dict) -> Resource:
        return normalise(Resource(address="x", name="x", type=rtype, source=source,
                                  location=Location("main.tf", 1), raw=raw))

    for kind in ("CALCULATED", "CLOUDWATCH_METRIC"):
        tf = normalised("aws_route53_health_check", "terraform", {"type": kind})
        cfn = normalised("AWS::Route53::HealthCheck", "cloudformation",
                         {"HealthCheckConfig": {"Type": kind}})
        for found in (tf, cfn):
            assert (found.get("failure_threshold"), found.get("request_interval")) == (None, None)
    https = normalised("aws_route53_health_check", "terraform", {"type": "HTTPS"})
    assert (https.get("failure_threshold"), https.get("request_interval")) == (3, 30)
    cfn_alarm = normalised("AWS::CloudWatch::Alarm", "cloudformation",
                           {"AlarmName": "a", "Metrics": [{"Id": "m1"}], "EvaluationPeriods": 2})
    assert cfn_alarm.kind == "metric_alarm" and cfn_alarm.get("metric_math") is True


# ----- a store whose region is unknown -----------------------------------------------------------
NO_REGION = Unknown("variable region has no value")


def test_no_copy_of_any_kind_is_unbounded_whatever_the_region():
    db = res("aws_db_instance.db", "db_instance", region=NO_REGION, multi_az=False,
             backup_retention=0)
    for scope in ("region", "az"):
        found = rpo([db], scope, "aws_db_instance.db")
        assert found.value_seconds == math.inf, (scope, found)
        assert "whatever its region" in found.summary


def test_any_copy_leaves_an_unknown_region_unknown():
    # In-region backups may survive a zone loss; a backup copy may or may not leave the region.
    db = res("aws_db_instance.db", "db_instance", region=NO_REGION, multi_az=False,
             backup_retention=7)
    assert rpo([db], "az", "aws_db_instance.db").unknown_reason == NO_REGION.reason
    assert rpo([db], "region", "aws_db_instance.db").value_seconds == math.inf
    copied = res("aws_dynamodb_table.orders", "dynamodb_table", region=NO_REGION,
                 replica_regions=[], tags={"backup": "daily"})
    found = rpo([copied, *backup("cron(0 5 * * ? *)")])
    assert not found.known and found.unknown_reason == NO_REGION.reason


def test_evidence_about_the_finding_s_own_resource_is_not_named_twice() -> None:
    from hadr_lint.objectives.estimate import Estimate, Evidence
    from hadr_lint.objectives.wording import because

    own = Evidence("Orders", "t.yaml", 7, "", "no copy")
    estimate = Estimate(float("inf"), None, (own,))
    assert because(estimate, 1, "Orders") == "no copy"
    assert because(estimate, 1) == "no copy [Orders]"
