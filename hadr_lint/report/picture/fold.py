"""What the picture draws and what it folds.

A reviewer reads the picture for the architecture: regions, AZs, compute, load balancers, data
stores, DNS, NAT and firewall endpoints, and the replication, backup and failover edges between
them. ``ARCHITECTURE_KINDS`` lists those by normalised kind (``hadr_lint.normalise``), so a
Terraform and a CloudFormation project fold alike. Everything else (IAM, security groups, routes,
listeners, bucket settings, log groups...) is plumbing: it is folded into one node per region,
"N supporting resources", whose detail line counts them by family. A resource at either end of a
replication, backup or failover edge is always drawn, whatever its kind.

Beyond ``NODE_BUDGET`` nodes the picture groups further (see ``build``): GitHub renders a Mermaid
diagram only up to 50,000 characters of text and 500 edges (Mermaid's ``maxTextSize`` and
``maxEdges`` defaults), and a diagram of more than about 60 boxes is no longer read in a
pull-request comment anyway.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

NODE_BUDGET = 60
SUPPORTING = "supporting"

ARCHITECTURE_KINDS = frozenset({
    # compute
    "autoscaling_group", "instance", "ecs_service", "eks_node_group", "eks_fargate_profile",
    "lambda_function", "beanstalk_environment",
    # front doors and DNS
    "load_balancer", "global_accelerator", "ga_endpoint_group", "cdn_distribution",
    "dns_record", "dns_record_group", "dns_zone", "health_check",
    # network egress and inspection
    "nat_gateway", "network_firewall",
    # data stores and their copies
    "db_instance", "db_cluster", "db_global_cluster", "docdb_cluster", "docdb_global_cluster",
    "docdb_instance", "neptune_cluster", "neptune_global_cluster", "neptune_instance",
    "dynamodb_table", "dynamodb_replica", "s3_bucket", "efs_file_system", "fsx_file_system",
    "cache_cluster", "cache_replication_group", "memorydb_cluster", "kafka_cluster",
    "search_domain", "redshift_cluster",
    # backups
    "backup_vault", "backup_plan", "dlm_policy",
})

# Families of the folded resources, for the supporting node's detail line. Normalised kinds
# first; kind "other" by type, both formats side by side; else the type's service.
KIND_FAMILIES = {
    "subnet": "subnets", "route": "routes", "route_table": "routes",
    "route_table_association": "routes", "lb_listener": "listeners",
    "lb_listener_rule": "listeners", "target_group": "target groups",
    "target_group_attachment": "target groups", "metric_alarm": "alarms",
    "log_delivery": "log deliveries", "s3_encryption": "bucket settings",
    "s3_logging": "bucket settings", "s3_versioning": "bucket settings",
    "s3_replication": "bucket settings", "scaling_target": "scaling",
    "autoscaling_attachment": "scaling", "vpc_endpoint": "VPC endpoints",
    "vpc_endpoint_subnet": "VPC endpoints", "efs_mount_target": "mount targets",
    "efs_backup_policy": "backup settings", "backup_selection": "backup settings",
    "backup_vault_lock": "backup settings", "tgw_attachment": "transit gateway",
    "vpc_module": "network",
}
TYPE_FAMILIES = (  # (family, type prefixes: Terraform, CloudFormation)
    ("security groups", ("aws_security_group", "aws_vpc_security_group_",
                         "AWS::EC2::SecurityGroup")),
    ("IAM", ("aws_iam_", "AWS::IAM::")),
    ("bucket settings", ("aws_s3_", "AWS::S3::")),
    ("log groups", ("aws_cloudwatch_log_", "AWS::Logs::")),
    ("events", ("aws_cloudwatch_event_", "AWS::Events::", "aws_scheduler_", "AWS::Scheduler::")),
    ("alarms", ("aws_cloudwatch_", "AWS::CloudWatch::")),
    ("launch templates", ("aws_launch_template", "aws_launch_configuration",
                          "AWS::EC2::LaunchTemplate", "AWS::AutoScaling::LaunchConfiguration")),
    ("scaling", ("aws_autoscaling_", "aws_appautoscaling_", "AWS::AutoScaling::",
                 "AWS::ApplicationAutoScaling::")),
    ("certificates", ("aws_acm_", "AWS::CertificateManager::")),
    ("secrets", ("aws_secretsmanager_", "AWS::SecretsManager::", "aws_ssm_", "AWS::SSM::")),
    ("KMS", ("aws_kms_", "AWS::KMS::")),
    ("SNS", ("aws_sns_", "AWS::SNS::")),
    ("SQS", ("aws_sqs_", "AWS::SQS::")),
    ("DB settings", ("aws_db_", "aws_rds_", "aws_elasticache_", "AWS::RDS::",
                     "AWS::ElastiCache::")),
    ("Lambda settings", ("aws_lambda_", "AWS::Lambda::")),
    ("listeners", ("aws_lb_", "aws_alb_", "AWS::ElasticLoadBalancingV2::")),
    ("DNS", ("aws_route53_", "AWS::Route53::")),
    ("network", ("aws_vpc", "aws_internet_gateway", "aws_egress_only_internet_gateway",
                 "aws_eip", "aws_network_", "aws_default_", "aws_main_route_table",
                 "aws_ec2_", "AWS::EC2::")),
)
FAMILIES_SHOWN = 5


def is_architecture(resource: Any) -> bool:
    """Drawn as its own node: a kind a reviewer reads the architecture for. A VPC endpoint is
    drawn only as a Gateway Load Balancer endpoint (traffic inspection)."""
    if resource.kind == "vpc_endpoint":
        return resource.get("endpoint_type") == "gatewayloadbalancer"
    return resource.kind in ARCHITECTURE_KINDS


def family(kind: str, type_: str) -> str:
    """The family a folded resource is counted in: "IAM", "security groups", "routes"..."""
    if kind in KIND_FAMILIES:
        return KIND_FAMILIES[kind]
    for name, prefixes in TYPE_FAMILIES:
        if type_.startswith(prefixes):
            return name
    if type_.startswith("AWS::"):
        return type_.split("::")[1]
    if type_.startswith("aws_"):
        return type_.split("_")[1]
    return type_.split("_")[0] or type_  # another provider: random, time, null...


def families(members: Iterable[Any]) -> str:
    """"IAM ×7, security groups ×5, routes ×4, +3 more": the biggest families first."""
    counted = Counter(family(m.kind, m.type) for m in members)
    ranked = sorted(counted.items(), key=lambda kv: (-kv[1], kv[0]))
    shown = [f"{name} ×{count}" if count > 1 else name for name, count in
             ranked[:FAMILIES_SHOWN]]
    rest = len(ranked) - FAMILIES_SHOWN
    return ", ".join(shown + ([f"+{rest} more"] if rest > 0 else []))
