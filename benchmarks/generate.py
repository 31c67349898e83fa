"""Generate a synthetic repository of realistic Terraform modules and CloudFormation templates.

    python benchmarks/generate.py OUT --resources 10000
    python benchmarks/generate.py OUT --module-files 50    # one folder of 50 .tf files


Each Terraform stack (one folder) has a VPC, three subnets over AZs, an ALB, an Auto Scaling
group, an RDS instance, a Route 53 failover record with health check, a DynamoDB table and a
Backup plan: 13 resources and a data source. Each CloudFormation template has the same shape.
Stacks alternate regions and a quarter of them carry deliberate HA/DR defects.
"""

from __future__ import annotations

import argparse
from pathlib import Path

REGIONS = ("us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2")
TF_RESOURCES_PER_STACK = 13

TERRAFORM = """\
provider "aws" {{
  region = var.region
}}

variable "region" {{
  default = "{region}"
}}

variable "name" {{
  default = "svc{index}"
}}

data "aws_availability_zones" "available" {{}}

locals {{
  azs  = slice(data.aws_availability_zones.available.names, 0, {az_count})
  tags = {{ Service = var.name, Stack = "{index}" }}
}}

resource "aws_vpc" "main" {{
  cidr_block = "10.{octet}.0.0/16"
  tags       = local.tags
}}

resource "aws_subnet" "private" {{
  count             = 3
  vpc_id            = aws_vpc.main.id
  availability_zone = local.azs[count.index % length(local.azs)]
  cidr_block        = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index)
  tags              = merge(local.tags, {{ Tier = "private" }})
}}

resource "aws_lb" "web" {{
  name               = "${{var.name}}-alb"
  load_balancer_type = "application"
  subnets            = aws_subnet.private[*].id
}}

resource "aws_lb_target_group" "web" {{
  name     = "${{var.name}}-tg"
  port     = 80
  protocol = "HTTP"
  vpc_id   = aws_vpc.main.id
}}

resource "aws_autoscaling_group" "web" {{
  name                = "${{var.name}}-asg"
  min_size            = {min_size}
  max_size            = 12
  vpc_zone_identifier = aws_subnet.private[*].id
  target_group_arns   = [aws_lb_target_group.web.arn]
  health_check_type   = "ELB"
}}

resource "aws_db_instance" "main" {{
  identifier        = "${{var.name}}-db"
  engine            = "postgres"
  instance_class    = "db.r6g.large"
  allocated_storage = 100
  multi_az          = {multi_az}
  backup_retention_period = 7
}}

resource "aws_route53_health_check" "primary" {{
  fqdn              = "${{var.name}}.example.com"
  port              = 443
  type              = "HTTPS"
  resource_path     = "/health"
  failure_threshold = 3
  request_interval  = 30
}}

resource "aws_route53_record" "primary" {{
  zone_id         = "Z0123456789ABCDEFGHIJ"
  name            = "${{var.name}}.example.com"
  type            = "A"
  set_identifier  = "primary"
  health_check_id = aws_route53_health_check.primary.id
  failover_routing_policy {{
    type = "PRIMARY"
  }}
  alias {{
    zone_id                = aws_lb.web.zone_id
    name                   = aws_lb.web.dns_name
    evaluate_target_health = true
  }}
}}

resource "aws_dynamodb_table" "state" {{
  name         = "${{var.name}}-state"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"
  attribute {{
    name = "id"
    type = "S"
  }}
  point_in_time_recovery {{
    enabled = true
  }}
}}

resource "aws_backup_vault" "main" {{
  name = "${{var.name}}-vault"
}}

resource "aws_backup_plan" "main" {{
  name = "${{var.name}}-plan"
  rule {{
    rule_name         = "daily"
    target_vault_name = aws_backup_vault.main.name
    schedule          = "cron(0 5 * * ? *)"
  }}
}}
"""

CLOUDFORMATION = """\
AWSTemplateFormatVersion: "2010-09-09"
Description: Synthetic stack {index}
Parameters:
  Name:
    Type: String
    Default: cfn{index}
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.{octet}.0.0/16
  SubnetA:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.{octet}.1.0/24
      AvailabilityZone: !Select [0, !GetAZs ""]
  SubnetB:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.{octet}.2.0/24
      AvailabilityZone: !Select [{second_az}, !GetAZs ""]
  SubnetC:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.{octet}.3.0/24
      AvailabilityZone: !Select [2, !GetAZs ""]
  LoadBalancer:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties:
      Subnets: [!Ref SubnetA, !Ref SubnetB, !Ref SubnetC]
  TargetGroup:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties:
      Port: 80
      Protocol: HTTP
      VpcId: !Ref Vpc
  WebGroup:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      MinSize: "3"
      MaxSize: "12"
      VPCZoneIdentifier: [!Ref SubnetA, !Ref SubnetB, !Ref SubnetC]
      TargetGroupARNs: [!Ref TargetGroup]
      HealthCheckType: ELB
  Database:
    Type: AWS::RDS::DBInstance
    DeletionPolicy: Snapshot
    Properties:
      Engine: postgres
      DBInstanceClass: db.r6g.large
      AllocatedStorage: "100"
      MultiAZ: {multi_az}
  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: !Sub "${{Name}}-state"
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{{AttributeName: id, AttributeType: S}}]
      KeySchema: [{{AttributeName: id, KeyType: HASH}}]
      PointInTimeRecoverySpecification: {{PointInTimeRecoveryEnabled: true}}
"""
CFN_RESOURCES_PER_TEMPLATE = 9


def write_stack(out: Path, index: int) -> None:
    defect = index % 4 == 3
    folder = out / "terraform" / f"stack{index:05d}"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "main.tf").write_text(TERRAFORM.format(
        index=index, region=REGIONS[index % len(REGIONS)], octet=index % 250,
        az_count=1 if defect else 3, min_size=2 if defect else 3,
        multi_az="false" if defect else "true",
    ))


def write_template(out: Path, index: int) -> None:
    defect = index % 4 == 3
    folder = out / "cloudformation"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"stack{index:05d}.yaml").write_text(CLOUDFORMATION.format(
        index=index, octet=index % 250, second_az=0 if defect else 1,
        multi_az="false" if defect else "true",
    ))


def generate(out: Path, resources: int, cfn_share: float = 0.25) -> dict[str, int]:
    cfn_resources = int(resources * cfn_share)
    stacks = max(1, (resources - cfn_resources) // TF_RESOURCES_PER_STACK)
    templates = cfn_resources // CFN_RESOURCES_PER_TEMPLATE
    for index in range(stacks):
        write_stack(out, index)
    for index in range(templates):
        write_template(out, index)
    return {
        "terraform_stacks": stacks, "cloudformation_templates": templates,
        "resources": stacks * TF_RESOURCES_PER_STACK + templates * CFN_RESOURCES_PER_TEMPLATE,
    }


MODULE_HEADER = """\
provider "aws" {
  region = var.region
}

variable "region" {
  default = "eu-west-1"
}

variable "name" {
  default = "platform"
}

data "aws_availability_zones" "available" {}

locals {
  azs  = slice(data.aws_availability_zones.available.names, 0, 3)
  tags = { Service = var.name }
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
  tags       = local.tags
}
"""

SERVICE = """\
# Service {index}: its own subnets, load balancer, instances and data stores.

resource "aws_subnet" "svc{index}" {{
  count             = 3
  vpc_id            = aws_vpc.main.id
  availability_zone = local.azs[count.index]
  cidr_block        = cidrsubnet(aws_vpc.main.cidr_block, 8, {index} * 3 + count.index)
  tags              = merge(local.tags, {{ Tier = "svc{index}" }})
}}

resource "aws_lb" "svc{index}" {{
  name               = "${{var.name}}-svc{index}"
  load_balancer_type = "application"
  subnets            = aws_subnet.svc{index}[*].id
}}

resource "aws_lb_target_group" "svc{index}" {{
  name     = "${{var.name}}-svc{index}"
  port     = 8080
  protocol = "HTTP"
  vpc_id   = aws_vpc.main.id
}}

resource "aws_autoscaling_group" "svc{index}" {{
  name                = "${{var.name}}-svc{index}"
  min_size            = {min_size}
  max_size            = 9
  vpc_zone_identifier = {subnets}
  target_group_arns   = [aws_lb_target_group.svc{index}.arn]
  health_check_type   = "ELB"
}}

resource "aws_db_instance" "svc{index}" {{
  identifier              = "${{var.name}}-svc{index}"
  engine                  = "postgres"
  instance_class          = "db.r6g.large"
  allocated_storage       = 50
  multi_az                = {multi_az}
  backup_retention_period = 7
}}

resource "aws_dynamodb_table" "svc{index}" {{
  name         = "${{var.name}}-svc{index}"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"
  attribute {{
    name = "id"
    type = "S"
  }}
  point_in_time_recovery {{
    enabled = true
  }}
}}
"""
MODULE_RESOURCES_PER_FILE = 8


def generate_module(out: Path, files: int = 50) -> dict[str, int]:
    """One Terraform folder of ``files`` files, as a large platform module is laid out:
    ``main.tf`` with the provider, VPC and locals, then one file per service. This is the
    pre-commit case: one changed file, its folder loaded for context."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "main.tf").write_text(MODULE_HEADER)
    for index in range(1, files):
        defect = index % 4 == 3
        (out / f"service{index:02d}.tf").write_text(SERVICE.format(
            index=index, min_size=2 if defect else 3, multi_az="false" if defect else "true",
            subnets=f"[aws_subnet.svc{index}[0].id]" if defect else f"aws_subnet.svc{index}[*].id",
        ))
    return {"module_files": files, "resources": 1 + (files - 1) * MODULE_RESOURCES_PER_FILE}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--resources", type=int, default=1000)
    parser.add_argument("--cfn-share", type=float, default=0.25)
    parser.add_argument("--module-files", type=int, default=0,
                        help="write one Terraform folder of this many files instead")
    args = parser.parse_args()
    if args.module_files:
        print(generate_module(args.out, args.module_files))
    else:
        print(generate(args.out, args.resources, args.cfn_share))


if __name__ == "__main__":
    main()
