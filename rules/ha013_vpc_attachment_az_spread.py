"""Lambda function, interface VPC endpoint or EFS file system attached in fewer than `min_azs` AZs.

## What it does
Resolves the subnets through which three regional services attach to a VPC, and counts their
distinct zones:

* Lambda functions attached to a VPC: `vpc_config.subnet_ids` (CloudFormation
  `VpcConfig.SubnetIds` of `AWS::Lambda::Function`, and of SAM `AWS::Serverless::Function`
  together with the template's `Globals: Function: VpcConfig`). Functions without a VPC
  configuration are not checked.
* Interface VPC endpoints: `subnet_ids` plus the `aws_vpc_endpoint_subnet_association`s that
  point at the endpoint (CloudFormation `SubnetIds` with `VpcEndpointType: Interface`). Gateway
  endpoints, the default type, are not zonal and are not checked; neither are Gateway Load
  Balancer endpoints, which live in one subnet by design.
* EFS file systems with Regional (Standard) storage: the subnets of their mount targets
  (`aws_efs_mount_target`, `AWS::EFS::MountTarget`), when at least one mount target is among the
  scanned files. EFS One Zone file systems are HA011's.

The threshold is `min_azs` (default 3), capped by the number of zones the region has. AWS
Trusted Advisor ("AWS Lambda VPC-enabled functions without Multi-AZ redundancy") and AWS Config
(`LAMBDA_VPC_MULTI_AZ_CHECK`) check deployed functions the same way.

## Why is this bad?
The service itself is regional, but it reaches into the VPC only through network interfaces in
the subnets it is given. When those subnets all sit in one zone, losing that zone cuts the
function off from the VPC (its invocations fail), takes the endpoint's private DNS name down for
every client, and leaves clients of the file system in the other zones without a mount target:
they mounted it across zones and lose it with the mount target's zone.

## Example
```hcl
resource "aws_lambda_function" "orders" {
  function_name = "orders"
  vpc_config {
    subnet_ids         = [aws_subnet.private_a.id]
    security_group_ids = [aws_security_group.orders.id]
  }
}

resource "aws_vpc_endpoint" "sqs" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.eu-west-1.sqs"
  vpc_endpoint_type = "Interface"
  subnet_ids        = [aws_subnet.private_a.id]
}

resource "aws_efs_mount_target" "shared" {
  file_system_id = aws_efs_file_system.shared.id
  subnet_id      = aws_subnet.private_a.id
}
```
```yaml
Orders:
  Type: AWS::Lambda::Function
  Properties:
    VpcConfig:
      SubnetIds: [!Ref PrivateSubnetA]
      SecurityGroupIds: [!Ref OrdersSecurityGroup]
SqsEndpoint:
  Type: AWS::EC2::VPCEndpoint
  Properties:
    VpcId: !Ref Vpc
    ServiceName: !Sub com.amazonaws.${AWS::Region}.sqs
    VpcEndpointType: Interface
    SubnetIds: [!Ref PrivateSubnetA]
SharedMountA:
  Type: AWS::EFS::MountTarget
  Properties:
    FileSystemId: !Ref Shared
    SubnetId: !Ref PrivateSubnetA
```

## Fix
```hcl
resource "aws_lambda_function" "orders" {
  vpc_config {
    subnet_ids         = aws_subnet.private[*].id   # one subnet per AZ, count = 3
    security_group_ids = [aws_security_group.orders.id]
  }
}

resource "aws_vpc_endpoint" "sqs" {
  vpc_endpoint_type = "Interface"
  subnet_ids        = aws_subnet.private[*].id
}

resource "aws_efs_mount_target" "shared" {
  count          = 3
  file_system_id = aws_efs_file_system.shared.id
  subnet_id      = aws_subnet.private[count.index].id
}
```
```yaml
VpcConfig:
  SubnetIds: [!Ref PrivateSubnetA, !Ref PrivateSubnetB, !Ref PrivateSubnetC]
# the endpoint likewise; and one AWS::EFS::MountTarget per subnet
```

Subnets whose zone cannot be resolved, an unknown endpoint type, an association or mount target
whose endpoint or file system is unknown, or an unknown number of them leave the check
unverified, unless counting decides.
Counting still decides: N subnets span at most N zones, so a list of known length below
the threshold (`slice(module.vpc.private_subnets, 0, 1)`, `[!ImportValue PrivateSubnetA]`)
is a finding whatever its zones ("1 subnet: at most 1 AZ"). Where the region is unknown, only
a spread below the fewest zones any region has (2) is certain; 2 zones are unverified.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from hadr_lint.analysis.az_spread import list_state, same_unit, spread
from hadr_lint.config import Config
from hadr_lint.graph import Graph
from hadr_lint.model import Problem, Unknown, Unverified, find_unknown
from hadr_lint.rulebase import Rule, problem, unverified

RULE = Rule(
    id="HA013",
    name="vpc-attachment-az-spread",
    severity="warning",
    scope="az",
    kinds=("lambda_function", "vpc_endpoint", "efs_file_system"),
    short="VPC Lambda, interface endpoint or EFS mount targets in fewer than min_azs AZs",
    description="Lambda functions, interface VPC endpoints and EFS file systems are regional, "
    "but reach the VPC only through the subnets they are given: in fewer distinct Availability "
    "Zones than min_azs, they lose the VPC with a zone (Trusted Advisor: Lambda VPC-enabled "
    "functions without Multi-AZ redundancy).",
    tags=("reliability", "availability-zone", "lambda", "vpc-endpoint", "efs"),
    equivalents={"checkov": "none found", "cfn-lint": "none found", "kics": "none found",
                 "trivy": "none found"},
)


def check(graph: Graph, config: Config) -> Iterator[Problem | Unverified]:
    for function in graph.resources("lambda_function"):
        if list_state(function.get("subnets")) != "empty":
            yield from spread(graph, config, function, "Lambda function's VPC subnets", "span")
    for endpoint in graph.resources("vpc_endpoint"):
        yield from _endpoint(graph, config, endpoint)
    for fs in graph.resources("efs_file_system"):
        yield from _file_system(graph, config, fs)


def _endpoint(graph, config, endpoint):
    endpoint_type = endpoint.get("endpoint_type")
    if isinstance(endpoint_type, str) and endpoint_type != "interface":
        return
    attached = graph.sources(endpoint, relation="endpoint", kind="vpc_endpoint_subnet")
    subnets = _subnets(endpoint.get("subnets"), attached, "subnet", "subnet associations")
    if list_state(subnets) == "empty":
        return
    doubt = _unseen(graph, endpoint, "vpc_endpoint_subnet", "endpoint")
    if isinstance(endpoint_type, Unknown):
        doubt = f"endpoint type unknown: {endpoint_type.reason}"
    yield from _judged(endpoint, spread(graph, config, _with(endpoint, subnets),
                                        "Interface VPC endpoint's subnets", "span"), doubt)


def _file_system(graph, config, fs):
    zone = fs.get("availability_zone")
    if zone is not None and not isinstance(zone, Unknown):
        return  # EFS One Zone: HA011
    targets = graph.sources(fs, relation="file_system", kind="efs_mount_target")
    if not targets:
        return
    subnets = _subnets([], targets, "subnets", "mount targets")
    doubt = _unseen(graph, fs, "efs_mount_target", "file_system")
    if isinstance(zone, Unknown):
        doubt = f"availability_zone_name unknown (EFS One Zone?): {zone.reason}"
    yield from _judged(fs, spread(graph, config, _with(fs, subnets),
                                  "EFS file system's mount targets", "span"), doubt)


def _subnets(own, attachments, key: str, what: str):
    """The resource's own subnet list plus each attachment's subnet(s), or an Unknown."""
    if isinstance(own, Unknown):
        return own
    found = list(own or [])
    for attachment in sorted(attachments, key=lambda r: r.address):
        if attachment.get("count_unknown"):
            return Unknown(f"the number of {what} ({attachment.name}) is unknown: "
                           f"{attachment.get('count_unknown')}")
        value = attachment.get(key)
        if isinstance(value, (list, Unknown)):
            found.extend(value if isinstance(value, list) else [value])
        elif value is not None:
            found.append(value)
    return found


def _unseen(graph, resource, kind: str, key: str) -> str | None:
    """Why an attachment of the same Terraform root or template may point at ``resource``
    unseen: its ``key`` (the endpoint or file system) is unknown."""
    for other in graph.resources(kind):
        found = find_unknown(other.get(key))
        if found is not None and same_unit(other, resource):
            return f"{other.name} may attach to it: its {key.replace('_', ' ')} is unknown " \
                   f"({found.reason})"
    return None


def _with(resource, subnets):
    """The resource seen with ``subnets``, so ``Graph.zones`` resolves them."""
    return dataclasses.replace(resource, attributes={**resource.attributes, "subnets": subnets})


def _judged(resource, results, doubt: str | None):
    """The spread check's results, on ``resource`` itself; a finding becomes unverified when
    ``doubt`` is set."""
    for result in results:
        if not isinstance(result, Problem):
            yield unverified(resource, result.reason)
        elif doubt is not None:
            yield unverified(resource, doubt)
        else:
            yield problem(resource, result.message)
