"""The Terraform HCL loader: variables, locals, count/for_each, modules, providers, regions."""

from __future__ import annotations

import json
from pathlib import Path

from hadr_lint.config import Config
from hadr_lint.engine import ScanOptions, load_all
from hadr_lint.model import AZ, AccountArn, DeployAccount, Ref, Unknown


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def load(root: Path, **options):
    results = load_all(ScanOptions(paths=(root,), **options), Config())
    resources = {r.address.split("::", 1)[1]: r for res in results for r in res.resources}
    errors = [e for res in results for e in res.errors]
    notes = [n for res in results for n in res.notes]
    return resources, errors, notes


def short(ref):
    """Ref addresses carry the root folder prefix; compare the Terraform part."""
    return Ref(ref.address.split("::", 1)[1], ref.attribute)


def test_variable_precedence(tmp_path):
    write(tmp_path, {
        "main.tf": """
variable "a" { default = "default" }
variable "b" { default = "default" }
variable "c" { default = "default" }
variable "d" { default = "default" }
variable "e" { default = "default" }
resource "aws_sqs_queue" "q" {
  name = join("-", [var.a, var.b, var.c, var.d, var.e])
}
""",
        "terraform.tfvars": 'b = "tfvars"\nc = "tfvars"\nd = "tfvars"\ne = "tfvars"\n',
        "z.auto.tfvars": 'c = "auto"\nd = "auto"\ne = "auto"\n',
        "extra.tfvars": 'd = "file"\ne = "file"\n',
    })
    resources, errors, _ = load(
        tmp_path, var_files=(tmp_path / "extra.tfvars",), variables={"e": "cli"}
    )
    assert not errors
    assert resources["aws_sqs_queue.q"].raw["name"] == "default-tfvars-auto-file-cli"


def test_variable_without_value_is_unknown_and_typed_cli_values(tmp_path):
    write(tmp_path, {"main.tf": """
variable "multi_az" { type = bool }
variable "size" { type = number }
variable "missing" {}
resource "aws_db_instance" "db" {
  multi_az          = var.multi_az
  allocated_storage = var.size
  identifier        = var.missing
}
"""})
    resources, _, _ = load(tmp_path, variables={"multi_az": "true", "size": "20"})
    raw = resources["aws_db_instance.db"].raw
    assert raw["multi_az"] is True
    assert raw["allocated_storage"] == 20
    assert isinstance(raw["identifier"], Unknown)
    assert "missing" in raw["identifier"].reason


def test_count_for_each_splat_and_availability_zones(tmp_path):
    write(tmp_path, {"main.tf": """
provider "aws" { region = "eu-west-1" }
data "aws_availability_zones" "az" {}
data "aws_region" "current" {}
locals {
  azs     = slice(data.aws_availability_zones.az.names, 0, 3)
  buckets = { logs = "a", data = "b" }
}
resource "aws_subnet" "s" {
  count             = length(local.azs)
  availability_zone = local.azs[count.index]
  tags              = { Name = "s-${count.index}", Region = data.aws_region.current.name }
}
resource "aws_s3_bucket" "b" {
  for_each = local.buckets
  bucket   = "${each.key}-${each.value}"
}
resource "aws_lb" "lb" {
  subnets = aws_subnet.s[*].id
}
"""})
    resources, errors, _ = load(tmp_path)
    assert not errors
    zones = [resources[f"aws_subnet.s[{i}]"].raw["availability_zone"] for i in range(3)]
    assert zones == [AZ("eu-west-1", 0), AZ("eu-west-1", 1), AZ("eu-west-1", 2)]
    assert resources["aws_subnet.s[2]"].raw["tags"] == {"Name": "s-2", "Region": "eu-west-1"}
    assert resources['aws_s3_bucket.b["logs"]'].raw["bucket"] == "logs-a"
    subnets = [short(r) for r in resources["aws_lb.lb"].raw["subnets"]]
    assert subnets == [Ref(f"aws_subnet.s[{i}]", "id") for i in range(3)]
    assert resources["aws_subnet.s[0]"].name == "aws_subnet.s"


def test_count_over_cap_is_unknown_not_expanded(tmp_path):
    write(tmp_path, {"main.tf": """
resource "aws_instance" "many" {
  count         = 1000000
  instance_type = "t3.micro"
}
"""})
    resources, errors, _ = load(tmp_path)
    assert not errors
    assert list(resources) == ["aws_instance.many"]
    assert "expansion cap" in resources["aws_instance.many"].meta["count_unknown"]


def test_locals_cycle_is_unknown(tmp_path):
    write(tmp_path, {"main.tf": """
locals {
  a = local.b
  b = local.a
}
resource "aws_sqs_queue" "q" { name = local.a }
"""})
    resources, errors, _ = load(tmp_path)
    assert not errors
    name = resources["aws_sqs_queue.q"].raw["name"]
    assert isinstance(name, Unknown) and "cycle" in name.reason


def test_provider_aliases_modules_and_regions(tmp_path):
    write(tmp_path, {
        "main.tf": """
variable "primary_region" { default = "us-east-1" }
provider "aws" { region = var.primary_region }
provider "aws" {
  alias  = "dr"
  region = "us-west-2"
}
resource "aws_s3_bucket" "primary" { bucket = "primary" }
resource "aws_s3_bucket" "replica" {
  provider = aws.dr
  bucket   = "replica"
}
resource "aws_s3_bucket" "v6" {
  region = "eu-central-1"
  bucket = "v6"
}
module "app_dr" {
  source    = "./modules/app"
  providers = { aws = aws.dr }
  name      = "dr"
}
module "app" {
  source = "./modules/app"
  name   = "main"
}
resource "aws_sqs_queue" "from_module" { name = module.app_dr.queue_name }
""",
        "modules/app/main.tf": """
variable "name" {}
resource "aws_sqs_queue" "q" { name = "app-${var.name}" }
output "queue_name" { value = aws_sqs_queue.q.name }
""",
    })
    resources, errors, _ = load(tmp_path)
    assert not errors
    assert resources["aws_s3_bucket.primary"].region == "us-east-1"
    assert resources["aws_s3_bucket.replica"].region == "us-west-2"
    assert resources["aws_s3_bucket.v6"].region == "eu-central-1"
    assert resources["module.app_dr.aws_sqs_queue.q"].region == "us-west-2"
    assert resources["module.app.aws_sqs_queue.q"].region == "us-east-1"
    assert resources["aws_sqs_queue.from_module"].raw["name"] == "app-dr"
    # the module folder is loaded through its callers, not scanned again as a root
    assert not [n for n in resources if n.startswith("aws_sqs_queue.q")]


def test_module_count_and_nested_modules(tmp_path):
    write(tmp_path, {
        "main.tf": """
module "db" {
  count  = 2
  source = "./db"
  index  = count.index
}
""",
        "db/main.tf": """
variable "index" {}
module "inner" {
  source = "./inner"
  label  = "db-${var.index}"
}
""",
        "db/inner/main.tf": """
variable "label" {}
resource "aws_db_instance" "this" { identifier = var.label }
""",
    })
    resources, errors, _ = load(tmp_path)
    assert not errors
    found = sorted(r.address.split("::")[1] for r in resources.values())
    assert found == [
        "module.db[0].module.inner.aws_db_instance.this",
        "module.db[1].module.inner.aws_db_instance.this",
    ]
    names = {r.name for r in resources.values()}
    assert names == {"module.db.module.inner.aws_db_instance.this"}
    identifiers = sorted(r.raw["identifier"] for r in resources.values())
    assert identifiers == ["db-0", "db-1"]


def test_module_cycle_is_an_error_not_a_hang(tmp_path):
    write(tmp_path, {
        "main.tf": 'module "a" {\n  source = "./a"\n}\n',
        "a/main.tf": 'module "b" {\n  source = "../b"\n}\nresource "aws_sqs_queue" "qa" {}\n',
        "b/main.tf": 'module "a" {\n  source = "../a"\n}\n',
    })
    resources, errors, _ = load(tmp_path)
    assert any("includes itself" in e.message for e in errors)
    assert errors[0].line == 1
    assert "module.a.aws_sqs_queue.qa" in resources


def test_remote_module_is_not_fetched_but_downloaded_one_is_loaded(tmp_path):
    write(tmp_path, {
        "main.tf": """
module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.8.1"
  azs     = ["eu-west-1a", "eu-west-1b"]
}
module "cache" {
  source = "git::https://example.com/cache.git"
}
""",
        ".terraform/modules/modules.json": json.dumps({"Modules": [
            {"Key": "", "Source": "", "Dir": "."},
            {"Key": "cache", "Source": "git::https://example.com/cache.git",
             "Dir": ".terraform/modules/cache"},
        ]}),
        ".terraform/modules/cache/main.tf": 'resource "aws_elasticache_cluster" "c" {}\n',
    })
    resources, errors, notes = load(tmp_path)
    assert not errors
    assert "module.cache.aws_elasticache_cluster.c" in resources
    vpc = resources["module.vpc"]
    assert vpc.type == "module"
    assert vpc.meta["source"] == "terraform-aws-modules/vpc/aws"
    assert vpc.raw["azs"] == ["eu-west-1a", "eu-west-1b"]
    assert any("module.vpc" in n and "never fetched" in n for n in notes)


def test_dynamic_blocks_and_nested_blocks(tmp_path):
    write(tmp_path, {"main.tf": """
variable "rules" {
  default = [{ port = 80 }, { port = 443 }]
}
resource "aws_security_group" "sg" {
  dynamic "ingress" {
    for_each = var.rules
    content {
      from_port = ingress.value.port
    }
  }
  egress {
    from_port = 0
  }
  lifecycle {
    prevent_destroy = true
  }
}
"""})
    resources, _, _ = load(tmp_path)
    sg = resources["aws_security_group.sg"]
    assert sg.raw["ingress"] == [{"from_port": 80}, {"from_port": 443}]
    assert sg.raw["egress"] == [{"from_port": 0}]
    assert sg.meta["lifecycle"] == {"prevent_destroy": True}
    assert "lifecycle" not in sg.raw


def test_tf_json_files_are_part_of_the_module(tmp_path):
    write(tmp_path, {
        "main.tf.json": json.dumps({
            "variable": {"env": {"default": "prod"}},
            "resource": {"aws_db_instance": {"db": {
                "multi_az": "${var.env == \"prod\"}", "engine": "postgres"}}},
        }),
    })
    resources, errors, _ = load(tmp_path)
    assert not errors
    assert resources["aws_db_instance.db"].raw == {"multi_az": True, "engine": "postgres"}


def test_syntax_error_names_file_and_line_and_other_files_load(tmp_path):
    write(tmp_path, {
        "good/main.tf": 'resource "aws_sqs_queue" "q" {}\n',
        "bad/main.tf": 'resource "aws_sqs_queue" "q" {\n  name = "x"\n  oops = = 1\n}\n',
    })
    resources, errors, _ = load(tmp_path)
    assert "aws_sqs_queue.q" in resources
    assert len(errors) == 1
    assert errors[0].file.endswith("bad/main.tf")
    assert errors[0].line == 3
    assert "HCL syntax error" in errors[0].message


def test_lines_point_at_the_block(tmp_path):
    write(tmp_path, {"main.tf": '\n\nresource "aws_sqs_queue" "q" {\n  name = "x"\n}\n'})
    resources, _, _ = load(tmp_path)
    location = resources["aws_sqs_queue.q"].location
    assert (location.line, location.end_line) == (3, 5)


def test_provider_default_tags_become_tags_all(tmp_path):
    write(tmp_path, {"main.tf": """
provider "aws" {
  region = "us-east-1"
  default_tags {
    tags = { backup = "daily", team = "core" }
  }
}
provider "aws" {
  alias  = "plain"
  region = "us-east-1"
}
resource "aws_dynamodb_table" "orders" {
  name = "orders"
  tags = { team = "orders" }
}
resource "aws_dynamodb_table" "untagged" {
  provider = aws.plain
  name     = "untagged"
}
"""})
    resources, errors, _ = load(tmp_path)
    assert not errors
    orders = resources["aws_dynamodb_table.orders"]
    assert orders.raw["tags_all"] == {"backup": "daily", "team": "orders"}
    assert "tags_all" not in resources["aws_dynamodb_table.untagged"].raw


NODE_GROUPS = """
module "eks" {
  source     = "./eks"
  subnet_ids = aws_subnet.private[*].id
  node_groups = {
    default = { instance_types = ["m6i.large"] }
    batch   = { subnet_ids = [aws_subnet.private[0].id], min_size = "1", spot = "true" }
  }
}

resource "aws_subnet" "private" {
  count             = 3
  vpc_id            = "vpc-1"
  cidr_block        = cidrsubnet("10.0.0.0/16", 8, count.index)
  availability_zone = ["us-east-1a", "us-east-1b", "us-east-1c"][count.index]
}
"""

EKS_MODULE = """
variable "subnet_ids" { type = list(string) }
variable "node_groups" {
  type = map(object({
    subnet_ids     = optional(list(string))
    min_size       = optional(number, 2)
    spot           = optional(bool, false)
    instance_types = optional(list(string), ["t3.large"])
    labels         = optional(map(string), {})
  }))
}
resource "aws_eks_node_group" "this" {
  for_each     = var.node_groups
  cluster_name = "prod"
  subnet_ids   = coalesce(each.value.subnet_ids, var.subnet_ids)
  capacity_type = each.value.spot ? "SPOT" : "ON_DEMAND"
  instance_types = each.value.instance_types
  labels = each.value.labels
  scaling_config {
    min_size     = each.value.min_size
    max_size     = 10
    desired_size = each.value.min_size
  }
}
"""


def test_optional_object_attributes_take_null_or_their_default(tmp_path):
    """Terraform 1.3+ optional(): a caller leaves attributes out, the module reads them."""
    write(tmp_path, {"main.tf": NODE_GROUPS, "eks/main.tf": EKS_MODULE})
    resources, errors, _ = load(tmp_path)
    assert errors == []
    default = resources['module.eks.aws_eks_node_group.this["default"]'].raw
    batch = resources['module.eks.aws_eks_node_group.this["batch"]'].raw
    assert [short(s) for s in default["subnet_ids"]] == [
        Ref(f"aws_subnet.private[{i}]", "id") for i in range(3)]
    assert default["scaling_config"][0]["min_size"] == 2
    assert default["capacity_type"] == "ON_DEMAND"
    assert default["instance_types"] == ["m6i.large"]
    assert default["labels"] == {}
    assert [short(s) for s in batch["subnet_ids"]] == [Ref("aws_subnet.private[0]", "id")]
    assert batch["scaling_config"][0]["min_size"] == 1  # "1" converted to a number
    assert batch["capacity_type"] == "SPOT"
    assert batch["instance_types"] == ["t3.large"]


def test_type_conversion_drops_undeclared_attributes_and_keeps_what_does_not_fit(tmp_path):
    write(tmp_path, {"main.tf": """
variable "db" {
  type    = object({ multi_az = bool, size = optional(number) })
  default = { multi_az = "false", size = 20, colour = "blue" }
}
variable "wrong" {
  type    = object({ required = string })
  default = { other = 1 }
}
variable "odd_type" {
  type    = list(strng)
  default = ["kept"]
}
variable "ports" {
  type    = set(number)
  default = ["80", 443, 80]
}
resource "aws_db_instance" "db" {
  multi_az          = var.db.multi_az
  allocated_storage = var.db.size
  tags              = { has_colour = can(var.db.colour), wrong = var.wrong.other }
  identifier        = var.odd_type[0]
  port              = length(var.ports)
}
"""})
    resources, errors, _ = load(tmp_path)
    raw = resources["aws_db_instance.db"].raw
    assert errors == []
    assert raw["multi_az"] is False and raw["allocated_storage"] == 20
    assert raw["tags"] == {"has_colour": False, "wrong": 1}
    assert raw["identifier"] == "kept"
    assert raw["port"] == 2


def test_unknown_values_pass_through_type_conversion_and_deep_types_convert_nothing():
    from hadr_lint.loaders.terraform.parse import parse_expression
    from hadr_lint.loaders.terraform.types import convert, read_type

    groups = read_type(parse_expression("map(object({ subnet_ids = optional(list(string)) }))"))
    missing = Unknown("var.groups has no value")
    assert convert(missing, groups, None) is missing
    inner = Unknown("subnet ids known after apply")
    assert convert({"a": {"subnet_ids": inner}}, groups, None) == {"a": {"subnet_ids": inner}}
    assert convert({"a": {}}, groups, None) == {"a": {"subnet_ids": None}}
    deep = read_type(parse_expression("list(" * 40 + "string" + ")" * 40))
    assert deep is None and convert(["1"], deep, None) == ["1"]
    assert read_type(parse_expression("list(string, number)")) is None
    assert read_type(parse_expression("object({ a = optional(string, 1, 2) })")) is None


def test_resources_of_a_module_with_unknown_count_stand_for_an_unknown_number(tmp_path):
    write(tmp_path, {"main.tf": """
variable "replicas" { type = number }
module "web" {
  source = "./web"
  count  = var.replicas
}
module "db" {
  source = "./web"
}
""", "web/main.tf": """
resource "aws_instance" "this" {
  instance_type = "t3.small"
}
resource "aws_instance" "counted" {
  count         = 2
  instance_type = "t3.small"
}
"""})
    resources, errors, _ = load(tmp_path)
    assert errors == []
    assert "variable replicas has no value" in \
        resources["module.web.aws_instance.this"].meta["count_unknown"]
    assert "count_unknown" in resources["module.web.aws_instance.counted[0]"].meta
    assert "count_unknown" not in resources["module.db.aws_instance.this"].meta


SERVICE_MODULE = """
variable "network_mode" {
  type     = string
  default  = "awsvpc"
  nullable = false
}
variable "launch_type" {
  type    = string
  default = "FARGATE"
}
variable "cpu" {
  type     = number
  default  = 256
  nullable = false
}
variable "subnet_ids" {
  type    = list(string)
  default = []
}
resource "aws_ecs_service" "this" {
  name        = "svc"
  launch_type = var.launch_type
  tags        = { mode = var.network_mode, cpu = var.cpu }
  dynamic "network_configuration" {
    for_each = var.network_mode == "awsvpc" ? [1] : []
    content {
      subnets = var.subnet_ids
    }
  }
}
"""


def test_null_to_a_non_nullable_variable_takes_its_default(tmp_path):
    """terraform-aws-modules/ecs: `network_mode = each.value.network_mode` is null (an optional
    attribute left out); the service module declares it `nullable = false` with default "awsvpc",
    so Terraform >= 1.1 uses "awsvpc" and keeps the network_configuration block. A nullable
    variable (the default) keeps the null."""
    write(tmp_path, {"main.tf": """
variable "services" {
  type = map(object({ network_mode = optional(string), cpu = optional(number) }))
  default = { api = {} }
}
module "service" {
  source       = "./service"
  for_each     = var.services
  network_mode = each.value.network_mode
  cpu          = each.value.cpu
  launch_type  = null
  subnet_ids   = ["subnet-a", "subnet-b"]
}
""", "service/main.tf": SERVICE_MODULE})
    resources, errors, _ = load(tmp_path)
    assert errors == []
    raw = resources['module.service["api"].aws_ecs_service.this'].raw
    assert raw["tags"] == {"mode": "awsvpc", "cpu": 256}
    assert raw["network_configuration"] == [{"subnets": ["subnet-a", "subnet-b"]}]
    assert raw["launch_type"] is None  # nullable (the default): null stays null


def test_non_nullable_variable_keeps_given_and_unknown_values(tmp_path):
    write(tmp_path, {"main.tf": """
variable "mode" { type = string }
module "bridge" {
  source       = "./service"
  network_mode = "bridge"
}
module "unknown" {
  source       = "./service"
  network_mode = var.mode
}
""", "service/main.tf": SERVICE_MODULE})
    resources, errors, _ = load(tmp_path)
    assert errors == []
    assert resources["module.bridge.aws_ecs_service.this"].raw["tags"]["mode"] == "bridge"
    assert resources["module.bridge.aws_ecs_service.this"].raw["network_configuration"] == []
    unknown = resources["module.unknown.aws_ecs_service.this"].raw
    assert isinstance(unknown["tags"]["mode"], Unknown)


def test_reference_to_an_undeclared_resource_is_undefined(tmp_path):
    """An address no block declares (a known type or an unknown one, in a module or the root)
    is an Undefined unknown that keeps the address, prefixed with the root like every Ref."""
    from hadr_lint.model import Undefined

    write(tmp_path, {
        "main.tf": """
resource "aws_s3_bucket" "logs" { bucket = "logs" }
resource "aws_sqs_queue" "q" {
  name        = aws_s3_bucket.missing.bucket
  policy      = aws_iam_policy_document.never_declared[0].json
  kms_key_id  = try(aws_s3_bucket.logs.arn, "x")
}
module "child" { source = "./child" }
""",
        "child/main.tf": """
resource "aws_sqs_queue" "q" { name = aws_s3_bucket.elsewhere.id }
""",
    })
    resources, errors, _ = load(tmp_path)
    assert not errors
    raw = resources["aws_sqs_queue.q"].raw
    for value, local in ((raw["name"], "aws_s3_bucket.missing"),
                         (raw["policy"], "aws_iam_policy_document.never_declared")):
        assert isinstance(value, Undefined), value
        root, _, address = value.address.partition("::")
        assert root and address == local  # namespaced like the Refs of its root
        assert f"no scanned file declares resource {local}" in value.reason
    assert isinstance(raw["kms_key_id"], Ref)  # a declared resource stays a Ref
    child = resources["module.child.aws_sqs_queue.q"].raw["name"]
    assert isinstance(child, Undefined)
    assert child.address.partition("::")[2] == "module.child.aws_s3_bucket.elsewhere"


def test_splat_values_are_shared_not_copied_per_reference(tmp_path):
    """``aws_subnet.s[*].id`` in many load balancers is one list (8,000 copies of a 1,000-item
    list took 6.4 GB); the values are those of the uncached evaluation."""
    balancers = "".join(f'resource "aws_lb" "lb{i}" {{\n  subnets = aws_subnet.s[*].id\n}}\n'
                        for i in range(3))
    write(tmp_path, {"main.tf": 'resource "aws_subnet" "s" {\n  count = 4\n'
                                '  availability_zone = "us-east-1a"\n}\n' + balancers})
    resources, errors, _ = load(tmp_path)
    assert errors == []
    values = [resources[f"aws_lb.lb{i}"].raw["subnets"] for i in range(3)]
    assert [short(r) for r in values[0]] == [Ref(f"aws_subnet.s[{i}]", "id") for i in range(4)]
    assert values[0] is values[1] is values[2]


def test_many_references_to_one_type_and_duplicates_resolve_to_the_first_block(tmp_path):
    """References use the module's index of blocks by name (built once); a duplicate block is
    reported and ignored, so references see the first one."""
    chain = "".join(f'resource "aws_sqs_queue" "q{i}" {{\n  name = "n{i}"\n'
                    f'  policy = aws_sqs_queue.q{i - 1}.name\n}}\n' for i in range(1, 200))
    write(tmp_path, {"main.tf": 'resource "aws_sqs_queue" "q0" {\n  name = "first"\n}\n'
                                'resource "aws_sqs_queue" "q0" {\n  name = "second"\n}\n'
                                + chain})
    resources, errors, _ = load(tmp_path)
    assert [e.message.split(":")[0] for e in errors] == ['duplicate resource "aws_sqs_queue" "q0"']
    assert resources["aws_sqs_queue.q1"].raw["policy"] == "first"
    assert resources["aws_sqs_queue.q199"].raw["policy"] == "n198"


VPC_CALLER = """
provider "aws" {
  region = "eu-west-1"
}
variable "azs" { type = list(string) }
module "vpc" {
  source           = "terraform-aws-modules/vpc/aws"
  cidr             = "10.0.0.0/16"
  azs              = %s
  private_subnets  = ["10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24", "10.0.4.0/24"]
  public_subnets   = ["10.0.101.0/24", "10.0.102.0/24"]
  database_subnets = var.azs
  %s
}
resource "aws_lb" "web" {
  subnets = module.vpc.public_subnets
}
resource "aws_eks_node_group" "db" {
  subnet_ids = module.vpc.database_subnets
}
resource "aws_eks_node_group" "nat" {
  subnet_ids = module.vpc.natgw_ids
}
"""


def test_registry_vpc_module_exposes_subnets_derived_from_its_inputs(tmp_path):
    write(tmp_path, {"main.tf": VPC_CALLER % ('["eu-west-1a", "euw1-az2", "eu-west-1c"]', "")})
    resources, errors, _ = load(tmp_path)
    assert not errors
    private = [resources[f"module.vpc.aws_subnet.private[{i}]"] for i in range(4)]
    # element(azs, i) wraps: the fourth subnet is in azs[0]; a zone id goes to _id.
    assert [s.raw.get("availability_zone") for s in private] == [
        "eu-west-1a", None, "eu-west-1c", "eu-west-1a"]
    assert private[1].raw["availability_zone_id"] == "euw1-az2"
    assert [s.raw["cidr_block"] for s in private] == [
        "10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24", "10.0.4.0/24"]
    assert short(private[0].raw["vpc_id"]) == Ref("module.vpc.aws_vpc.this[0]", "id")
    assert private[0].name == "module.vpc.aws_subnet.private"
    assert private[0].region == "eu-west-1"
    assert "module.vpc.aws_vpc.this[0]" in resources
    assert "module.vpc.aws_subnet.public[1]" in resources
    assert "module.vpc.aws_subnet.public[2]" not in resources
    assert not any(".aws_subnet.database" in a or ".aws_subnet.intra" in a for a in resources)
    assert resources["module.vpc"].type == "module"  # still there for the module table
    assert [short(r) for r in resources["aws_lb.web"].raw["subnets"]] == [
        Ref("module.vpc.aws_subnet.public[0]", "id"), Ref("module.vpc.aws_subnet.public[1]", "id")]
    database = resources["aws_eks_node_group.db"].raw["subnet_ids"]
    assert isinstance(database, Unknown) and "database_subnets is unknown" in database.reason
    other = resources["aws_eks_node_group.nat"].raw["subnet_ids"]
    assert isinstance(other, Unknown) and "natgw_ids is not derived" in other.reason


def test_registry_vpc_module_outputs_are_refs_unknown_or_nothing(tmp_path):
    from hadr_lint.loaders.terraform.registry_outputs import exposed

    def outputs(inputs):
        return exposed("terraform-aws-modules/vpc/aws", inputs.get, "module.vpc", "module.vpc.")

    found = outputs({"azs": ["eu-west-1a", "eu-west-1b"], "private_subnets": ["a", "b", "c"],
                     "database_subnets": Unknown("variable db has no value")})
    assert found.outputs["private_subnets"] == [
        Ref(f"module.vpc.aws_subnet.private[{i}]", "id") for i in range(3)]
    assert found.outputs["private_subnets_cidr_blocks"] == ["a", "b", "c"]
    assert found.outputs["public_subnets"] == [] and found.outputs["intra_subnets"] == []
    assert found.outputs["vpc_id"] == Ref("module.vpc.aws_vpc.this[0]", "id")
    database = found.outputs["database_subnets"]
    assert isinstance(database, Unknown) and "variable db has no value" in database.reason
    # Unknown AZs: the subnets exist (their number is known), their zone is unknown.
    found = outputs({"azs": Unknown("variable azs has no value"), "private_subnets": ["a"]})
    zone = found.resources[1].raw["availability_zone"]
    assert isinstance(zone, Unknown) and "azs" in zone.reason
    # Zones from data.aws_availability_zones: names go to availability_zone, ids to _id.
    found = outputs({"azs": [AZ("us-east-2", 0), AZ(None, 1, "id")], "private_subnets": ["a", "b"]})
    assert found.resources[1].raw["availability_zone"] == AZ("us-east-2", 0)
    assert found.resources[2].raw["availability_zone_id"] == AZ(None, 1, "id")
    # one_nat_gateway_per_az with fewer public subnets than AZs: the module creates none.
    found = outputs({"azs": ["a-1", "b-1", "c-1"], "public_subnets": ["x"],
                     "one_nat_gateway_per_az": True})
    assert found.outputs["public_subnets"] == []
    # IPv6 prefixes count subnets too (max of both lengths); an IPv6-only subnet has no CIDR.
    found = outputs({"azs": ["eu-west-1a"], "private_subnets": [],
                     "private_subnet_ipv6_prefixes": [0, 1], "private_subnet_ipv6_native": True})
    assert len(found.outputs["private_subnets"]) == 2
    assert found.outputs["private_subnets_cidr_blocks"] == []
    # A VPC that is not created exposes nothing; with an unknown create flag its outputs are
    # unknown and its resources may not exist.
    assert isinstance(outputs({"create_vpc": False, "private_subnets": ["a"]}), Unknown)
    unknown = outputs({"create_vpc": Unknown("variable create has no value"),
                       "azs": ["eu-west-1a"], "private_subnets": ["a"]})
    subnets = unknown.outputs["private_subnets"]
    assert isinstance(subnets, Unknown) and "only if create_vpc is true" in subnets.reason
    assert [r.may_not_exist for r in unknown.resources] == [
        "exists only if create_vpc is true; variable create has no value"] * 2
    assert exposed("terraform-aws-modules/s3-bucket/aws", {}.get, "module.s3", "module.s3.") is None


def _exposed(key, inputs, name):
    from hadr_lint.loaders.terraform.registry_outputs import exposed

    return exposed(key, inputs.get, f"module.{name}", f"module.{name}.")


EFS = "terraform-aws-modules/efs/aws"
EC2 = "terraform-aws-modules/ec2-instance/aws"
NODE_GROUP = "terraform-aws-modules/eks/aws//modules/eks-managed-node-group"


def test_registry_efs_module_mount_targets_backup_and_replication():
    fs_id = Ref("module.efs.aws_efs_file_system.this[0]", "id")
    found = _exposed(EFS, {"name": "shared", "mount_targets": {
        "a": {"subnet_id": "subnet-a"}, "b": {"subnet_id": Ref("aws_subnet.b", "id")}},
        "create_replication_configuration": True,
        "replication_configuration_destination": {"region": "eu-central-1"}}, "efs")
    by_type = {(r.type, r.index): r for r in found.resources}
    assert by_type[("aws_efs_file_system", 0)].raw["tags"] == {"Name": "shared"}
    assert by_type[("aws_efs_mount_target", "a")].raw == {"file_system_id": fs_id,
                                                          "subnet_id": "subnet-a"}
    assert by_type[("aws_efs_backup_policy", 0)].raw["backup_policy"] == [{"status": "ENABLED"}]
    replication = by_type[("aws_efs_replication_configuration", 0)]
    assert replication.raw["destination"][0]["region"] == "eu-central-1"
    assert not any(r.may_not_exist for r in found.resources)
    assert found.outputs["id"] == fs_id
    # mount_targets is the map of instances: arguments as given, other attributes Refs.
    target = found.outputs["mount_targets"]["b"]
    assert target["subnet_id"] == Ref("aws_subnet.b", "id")
    assert target["id"] == Ref('module.efs.aws_efs_mount_target.this["b"]', "id")
    # Defaults: no replication; no mount targets; backup policy DISABLED or absent.
    found = _exposed(EFS, {"enable_backup_policy": False}, "efs")
    assert [r.type for r in found.resources] == ["aws_efs_file_system", "aws_efs_backup_policy"]
    assert found.resources[1].raw["backup_policy"] == [{"status": "DISABLED"}]
    found = _exposed(EFS, {"create_backup_policy": False}, "efs")
    assert [r.type for r in found.resources] == ["aws_efs_file_system"]
    # Unknown inputs: one mount target standing for an unknown number; a policy that may not
    # exist; a file system that is not created exposes nothing.
    found = _exposed(EFS, {"mount_targets": Unknown("variable mt has no value"),
                           "create_backup_policy": Unknown("variable b has no value")}, "efs")
    target, policy = found.resources[1], found.resources[2]
    assert target.index is None and "mount_targets is unknown" in target.may_not_exist
    assert isinstance(target.raw["subnet_id"], Unknown)
    assert policy.may_not_exist.startswith("exists only if create_backup_policy is true")
    assert isinstance(found.outputs["mount_targets"], Unknown)
    assert isinstance(_exposed(EFS, {"create": False}, "efs"), Unknown)


def test_registry_ec2_instance_module_picks_the_block_its_flags_decide():
    found = _exposed(EC2, {"subnet_id": "subnet-a", "availability_zone": "eu-west-1a"}, "web")
    assert [(r.type, r.name) for r in found.resources] == [("aws_instance", "this")]
    assert found.resources[0].raw["subnet_id"] == "subnet-a"
    assert found.outputs["id"] == Ref("module.web.aws_instance.this[0]", "id")
    assert found.outputs["availability_zone"] == "eu-west-1a"
    found = _exposed(EC2, {"subnet_id": "subnet-a", "ignore_ami_changes": True}, "web")
    assert [(r.type, r.name) for r in found.resources] == [("aws_instance", "ignore_ami")]
    assert found.outputs["availability_zone"] == Ref(
        "module.web.aws_instance.ignore_ami[0]", "availability_zone")
    found = _exposed(EC2, {"create_spot_instance": True, "ignore_ami_changes": True}, "web")
    assert [(r.type, r.name) for r in found.resources] == [("aws_spot_instance_request", "this")]
    assert found.outputs["id"] == Ref(
        "module.web.aws_spot_instance_request.this[0]", "spot_instance_id")
    # An unknown flag: every block it may pick, each of which may not exist; id unknown.
    found = _exposed(EC2, {"create_spot_instance": Unknown("variable spot has no value")}, "web")
    assert [(r.type, r.name) for r in found.resources] == [
        ("aws_instance", "this"), ("aws_spot_instance_request", "this")]
    assert all("create_spot_instance" in r.may_not_exist for r in found.resources)
    assert isinstance(found.outputs["id"], Unknown)
    assert isinstance(found.outputs["availability_zone"], Unknown)
    # A network interface without subnet_id: the subnet is the interface's, not an input.
    found = _exposed(EC2, {"network_interface": {"0": {"network_interface_id": "eni-1"}}}, "web")
    assert isinstance(found.resources[0].raw["subnet_id"], Unknown)
    assert isinstance(_exposed(EC2, {"putin_khuylo": False}, "web"), Unknown)
    assert isinstance(_exposed(EC2, {"instance_count": 2}, "web"), Unknown)  # 2.x


def test_registry_eks_node_group_module_subnets_and_scaling():
    found = _exposed(NODE_GROUP, {"name": "ng", "use_name_prefix": False, "min_size": 2,
                                  "subnet_ids": ["subnet-a", "subnet-b"]}, "ng")
    group = found.resources[0]
    assert (group.type, group.name, group.index) == ("aws_eks_node_group", "this", 0)
    assert group.raw["subnet_ids"] == ["subnet-a", "subnet-b"]
    assert group.raw["node_group_name"] == "ng"
    assert group.raw["scaling_config"] == [{"min_size": 2, "max_size": 3, "desired_size": 1}]
    assert found.outputs["node_group_arn"] == Ref("module.ng.aws_eks_node_group.this[0]", "arn")
    # min_size not set: its default changed in v21 (0 -> 1), so it is unknown.
    found = _exposed(NODE_GROUP, {"subnet_ids": ["subnet-a"]}, "ng")
    minimum = found.resources[0].raw["scaling_config"][0]["min_size"]
    assert isinstance(minimum, Unknown) and "v21" in minimum.reason
    assert found.resources[0].raw["node_group_name"] is None  # name_prefix by default


EKS = "terraform-aws-modules/eks/aws"


def _groups(found, rtype):
    return {r.module: r.raw for r in found.resources if r.type == rtype}


def test_registry_eks_root_module_one_submodule_per_entry():
    """20.x (cluster_name and *_defaults declare it): try(entry, defaults, var.subnet_ids)."""
    found = _exposed(EKS, {
        "version": "~> 20.0", "cluster_name": "main", "subnet_ids": ["s-1", "s-2", "s-3"],
        "eks_managed_node_group_defaults": {"subnet_ids": ["s-d"], "max_size": 5},
        "eks_managed_node_groups": {"own": {"subnet_ids": ["s-own"], "min_size": 2},
                                    "shared": {}, "off": {"create": False}},
        "self_managed_node_groups": {"asg": {"max_size": 6}},
        "fargate_profiles": {"jobs": {}},
    }, "eks")
    managed = _groups(found, "aws_eks_node_group")
    assert list(managed) == ['module.eks_managed_node_group["own"]',
                             'module.eks_managed_node_group["shared"]']
    own, shared = managed.values()
    assert own["subnet_ids"] == ["s-own"] and shared["subnet_ids"] == ["s-d"]
    assert own["scaling_config"] == [{"min_size": 2, "max_size": 5, "desired_size": 1}]
    assert shared["scaling_config"] == [{"min_size": 1, "max_size": 5, "desired_size": 1}]
    assert own["cluster_name"] == "main"
    (asg,) = _groups(found, "aws_autoscaling_group").values()
    assert asg["vpc_zone_identifier"] == ["s-1", "s-2", "s-3"]  # no self-managed defaults
    assert (asg["min_size"], asg["max_size"], asg["desired_capacity"]) == (0, 6, 1)
    (profile,) = _groups(found, "aws_eks_fargate_profile").values()
    assert profile["subnet_ids"] == ["s-1", "s-2", "s-3"]
    assert profile["fargate_profile_name"] == "jobs"
    assert found.outputs["eks_managed_node_groups"]["own"]["node_group_arn"] == Ref(
        'module.eks.module.eks_managed_node_group["own"].aws_eks_node_group.this[0]', "arn")
    assert "off" not in found.outputs["eks_managed_node_groups"]
    assert all(not r.may_not_exist for r in found.resources)


def test_registry_eks_root_module_version_decides_defaults():
    groups = {"self_managed_node_groups": {"asg": {}}, "subnet_ids": ["s-1"]}
    # 21.x: the submodule's own default min_size (1); 20.x: the root's try() default (0).
    for inputs, minimum in (({"version": "~> 21.0"}, 1), ({"name": "main"}, 1),
                            ({"version": ">= 19.0, < 21.0"}, 0), ({"cluster_name": "m"}, 0)):
        (asg,) = _groups(_exposed(EKS, {**groups, **inputs}, "eks"),
                         "aws_autoscaling_group").values()
        assert asg["min_size"] == minimum, inputs
    (asg,) = _groups(_exposed(EKS, {**groups, "version": ">= 20.0"}, "eks"),
                     "aws_autoscaling_group").values()
    assert isinstance(asg["min_size"], Unknown) and "does not decide" in asg["min_size"].reason
    # 20.x with EFA: the node group's subnets are the placement group AZ's, not subnet_ids.
    found = _exposed(EKS, {"version": "~> 20.0", "subnet_ids": ["s-1"],
                           "eks_managed_node_groups": {"efa": {"enable_efa_support": True}}},
                     "eks")
    (group,) = _groups(found, "aws_eks_node_group").values()
    assert isinstance(group["subnet_ids"], Unknown)
    found = _exposed(EKS, {"version": "~> 21.0", "subnet_ids": ["s-1"],
                           "eks_managed_node_groups": {"efa": {"enable_efa_support": True}}},
                     "eks")
    assert _groups(found, "aws_eks_node_group")['module.eks_managed_node_group["efa"]'][
        "subnet_ids"] == ["s-1"]
    # 17.x (create_eks, worker groups) is not derived.
    assert isinstance(_exposed(EKS, {"create_eks": True}, "eks"), Unknown)
    assert isinstance(_exposed(EKS, {"version": "~> 17.24"}, "eks"), Unknown)


def test_registry_eks_root_module_unknowns_may_not_exist():
    no_value = Unknown("variable groups has no value")
    found = _exposed(EKS, {"version": "~> 21.0", "subnet_ids": ["s-1"],
                           "eks_managed_node_groups": no_value,
                           "fargate_profiles": {"a": {"create": Unknown("variable x has no value")},
                                                "b": no_value}}, "eks")
    standing = [r for r in found.resources if r.type == "aws_eks_node_group"]
    assert [r.module for r in standing] == ["module.eks_managed_node_group"]
    assert "variable groups has no value" in standing[0].may_not_exist
    assert isinstance(standing[0].raw["subnet_ids"], Unknown)
    assert isinstance(found.outputs["eks_managed_node_groups"], Unknown)
    profiles = _groups(found, "aws_eks_fargate_profile")
    assert set(profiles) == {'module.fargate_profile["a"]', 'module.fargate_profile["b"]'}
    a, b = sorted((r for r in found.resources if r.type == "aws_eks_fargate_profile"),
                  key=lambda r: r.module)
    assert "exists only if create is true" in a.may_not_exist and "variable x" in a.may_not_exist
    assert "variable groups has no value" in b.may_not_exist
    assert isinstance(b.raw["subnet_ids"], Unknown)
    assert isinstance(found.outputs["fargate_profiles"]["a"]["fargate_profile_arn"], Unknown)
    # An unknown outpost_config: managed groups and profiles may not exist (not on Outposts).
    found = _exposed(EKS, {"version": "~> 21.0", "subnet_ids": ["s-1"],
                           "outpost_config": Unknown("variable outposts has no value"),
                           "eks_managed_node_groups": {"a": {}}}, "eks")
    assert "outpost_config is not set" in found.resources[0].may_not_exist
    # The root's create flag: nothing, or everything may not exist.
    assert isinstance(_exposed(EKS, {"create": False, "fargate_profiles": {"a": {}}}, "eks"),
                      Unknown)


def test_registry_eks_self_managed_and_fargate_submodules_called_directly():
    self_managed = "terraform-aws-modules/eks/aws//modules/self-managed-node-group"
    found = _exposed(self_managed, {"version": "~> 21.0", "subnet_ids": ["s-1", "s-2"],
                                    "max_size": 4}, "asg")
    (asg,) = found.resources
    assert (asg.type, asg.raw["vpc_zone_identifier"]) == ("aws_autoscaling_group", ["s-1", "s-2"])
    assert (asg.raw["min_size"], asg.raw["max_size"], asg.raw["desired_capacity"]) == (1, 4, 1)
    assert found.outputs["autoscaling_group_name"] == Ref(
        "module.asg.aws_autoscaling_group.this[0]", "name")
    found = _exposed(self_managed, {"subnet_ids": ["s-1"], "create_autoscaling_group": Unknown(
        "variable asg has no value")}, "asg")
    assert "create_autoscaling_group is true" in found.resources[0].may_not_exist
    assert isinstance(found.resources[0].raw["min_size"], Unknown)  # 0 or 1: no version
    assert _exposed(self_managed, {"create_autoscaling_group": False}, "asg").resources == ()
    found = _exposed("terraform-aws-modules/eks/aws//modules/fargate-profile",
                     {"name": "jobs", "subnet_ids": ["s-1"]}, "jobs")
    assert found.resources[0].raw["subnet_ids"] == ["s-1"]
    assert found.resources[0].raw["fargate_profile_name"] == "jobs"


def test_registry_eks_version_constraints():
    from hadr_lint.loaders.terraform.registry_outputs import _majors

    inf = float("inf")
    assert _majors("~> 20.0") == (20, 20) and _majors("~> 20.31.1") == (20, 20)
    assert _majors("~> 21") == (21, inf) and _majors("21.1.0") == (21, 21)
    assert _majors(">= 19.0, < 21.0") == (19, 20) and _majors("< 21.1") == (0, 21)
    assert _majors(None) == (0, inf) and _majors("latest") == (0, inf)


def test_registry_eks_root_module_resources_in_the_scan(tmp_path):
    write(tmp_path, {"main.tf": """
provider "aws" {
  region = "eu-west-1"
}
module "eks" {
  source     = "terraform-aws-modules/eks/aws"
  version    = "~> 21.0"
  name       = "main"
  subnet_ids = ["subnet-a", "subnet-b"]
  eks_managed_node_groups = {
    general = { min_size = 2 }
  }
}
"""})
    resources, errors, _ = load(tmp_path)
    assert not errors
    address = 'module.eks.module.eks_managed_node_group["general"].aws_eks_node_group.this[0]'
    group = resources[address]
    assert group.name == "module.eks.module.eks_managed_node_group.aws_eks_node_group.this"
    assert group.module.endswith('module.eks.module.eks_managed_node_group["general"]')
    assert group.raw["subnet_ids"] == ["subnet-a", "subnet-b"]
    assert group.region == "eu-west-1" and not group.may_not_exist


def test_registry_vpc_module_not_created_or_counted_adds_no_resources(tmp_path):
    write(tmp_path, {"main.tf": VPC_CALLER % ('["eu-west-1a"]', "create_vpc = false")})
    resources, errors, _ = load(tmp_path)
    assert not errors
    assert not any(a.startswith("module.vpc.") for a in resources)
    assert "module.vpc" in resources
    write(tmp_path, {"main.tf": VPC_CALLER % ('["eu-west-1a"]', "count = 1")})
    resources, errors, _ = load(tmp_path)
    assert not errors
    assert not any(a.startswith("module.vpc") and ".aws_subnet." in a for a in resources)


def test_registry_vpc_module_over_the_instance_cap_exposes_nothing(tmp_path):
    cidrs = ", ".join(f'"10.{i // 256}.{i % 256}.0/24"' for i in range(1001))
    write(tmp_path, {"main.tf": VPC_CALLER.replace(
        '["10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24", "10.0.4.0/24"]', f"[{cidrs}]")
        % ('["eu-west-1a"]', "")})
    resources, errors, _ = load(tmp_path)  # over the 1000 instances a block may expand to
    assert not errors
    assert not any(".aws_subnet." in a for a in resources)
    public = resources["aws_lb.web"].raw["subnets"]
    assert isinstance(public, Unknown) and "expansion cap" in public.reason


def test_provider_account_reaches_resources_and_modules(tmp_path):
    """The account a provider names (one allowed_account_ids entry, else the assume_role ARN's)
    is carried on each resource's meta, through a module's providers map; none is guessed."""
    root = write(tmp_path, {
        "main.tf": """
variable "accounts" {
  type = list(string)
}
provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["111111111111"]
}
provider "aws" {
  alias  = "dr"
  region = "us-west-2"
  assume_role {
    role_arn = "arn:aws:iam::222222222222:role/dr"
  }
}
provider "aws" {
  alias               = "two"
  region              = "us-west-2"
  allowed_account_ids = ["333333333333", "444444444444"]
}
provider "aws" {
  alias               = "unknown"
  region              = "us-west-2"
  allowed_account_ids = var.accounts
}
resource "aws_backup_vault" "main" { name = "main" }
resource "aws_backup_vault" "two" {
  provider = aws.two
  name     = "two"
}
resource "aws_backup_vault" "unknown" {
  provider = aws.unknown
  name     = "unknown"
}
module "dr" {
  source    = "./dr"
  providers = { aws = aws.dr }
}
""",
        "dr/main.tf": 'resource "aws_backup_vault" "dr" { name = "dr" }\n',
    })
    resources, errors, _ = load(root)
    assert not errors
    accounts = {r.name: r.meta.get("account") for r in resources.values()}
    # a provider naming no single account: its configuration's deploying account, one each
    two, unknown = accounts["aws_backup_vault.two"], accounts["aws_backup_vault.unknown"]
    assert isinstance(two, DeployAccount) and isinstance(unknown, DeployAccount)
    assert two != unknown and "provider aws.two in root" in two.reason
    assert accounts == {"aws_backup_vault.main": "111111111111",
                        "aws_backup_vault.two": two, "aws_backup_vault.unknown": unknown,
                        "module.dr.aws_backup_vault.dr": "222222222222"}


def test_workspace_and_cwd_are_chosen_at_run_time(tmp_path):
    # ecr-ex-${basename(path.cwd)} is not "ecr-ex-.", and a workspace-sized group is not sized 1
    write(tmp_path, {"main.tf": """
resource "aws_ecr_repository" "r" { name = "ecr-ex-${basename(path.cwd)}" }
resource "aws_autoscaling_group" "g" {
  min_size = terraform.workspace == "prod" ? 3 : 1
  max_size = 3
}
"""})
    resources, errors, _ = load(tmp_path)
    assert not errors
    name = resources["aws_ecr_repository.r"].raw["name"]
    assert isinstance(name, Unknown) and "path.cwd" in name.reason
    size = resources["aws_autoscaling_group.g"].raw["min_size"]
    assert isinstance(size, Unknown) and "workspace" in size.reason


def test_sizes_left_to_scaling_by_ignore_changes_are_unknown(tmp_path):
    # desired sizes that lifecycle.ignore_changes hands to autoscaling are creation-time only
    from hadr_lint.normalise import normalise

    write(tmp_path, {"main.tf": """
resource "aws_ecs_service" "api" {
  name          = "api"
  desired_count = 2
  lifecycle {
    ignore_changes = [desired_count]
  }
}
resource "aws_eks_node_group" "ng" {
  cluster_name = "c"
  scaling_config {
    min_size     = 1
    max_size     = 5
    desired_size = 3
  }
  lifecycle {
    ignore_changes = [scaling_config[0].desired_size]
  }
}
resource "aws_autoscaling_group" "all" {
  min_size         = 2
  max_size         = 5
  desired_capacity = 3
  lifecycle {
    ignore_changes = all
  }
}
resource "aws_autoscaling_group" "kept" {
  min_size         = 2
  max_size         = 5
  desired_capacity = 3
}
"""})
    resources, errors, _ = load(tmp_path)
    assert not errors
    found = {name: normalise(r) for name, r in resources.items()}
    assert resources["aws_eks_node_group.ng"].meta["lifecycle"]["ignore_changes"] == (
        "scaling_config.desired_size",)
    for name, field in (("aws_ecs_service.api", "desired_count"),
                        ("aws_eks_node_group.ng", "desired_size"),
                        ("aws_autoscaling_group.all", "desired_capacity")):
        value = found[name].get(field)
        assert isinstance(value, Unknown) and "size at creation only" in value.reason, name
    assert found["aws_eks_node_group.ng"].get("min_size") == 1
    assert found["aws_autoscaling_group.kept"].get("desired_capacity") == 3


def test_caller_identity_is_its_provider_configurations_account(tmp_path):
    """data.aws_caller_identity gives the account its provider configuration names, else that
    configuration's deploying account: the account of every resource of that configuration
    (also in a module that inherits it), another configuration's for a module given aws.dr.
    Inside an ARN's account field it survives interpolation (an AccountArn); anywhere else in a
    string, or through a function, it is a plain unknown."""
    root = write(tmp_path, {
        "main.tf": """
provider "aws" {
  region = "eu-west-1"
}
provider "aws" {
  alias  = "dr"
  region = "us-west-2"
}
provider "aws" {
  alias               = "pinned"
  region              = "us-west-2"
  allowed_account_ids = ["333333333333"]
}
data "aws_caller_identity" "current" {}
data "aws_caller_identity" "pinned" {
  provider = aws.pinned
}
variable "region" {
  type = string
}
locals {
  me = data.aws_caller_identity.current
}
resource "aws_backup_vault" "main" {
  name = "main-${data.aws_caller_identity.current.account_id}"
  tags = {
    Arn     = "arn:aws:backup:${var.region}:${local.me.account_id}:backup-vault:x"
    Account = data.aws_caller_identity.current.account_id
    Upper   = upper(data.aws_caller_identity.current.account_id)
    Pinned  = data.aws_caller_identity.pinned.account_id
    Caller  = data.aws_caller_identity.current.arn
  }
}
module "same" {
  source = "./child"
}
module "dr" {
  source    = "./child"
  providers = { aws = aws.dr }
}
""",
        "child/main.tf": """
data "aws_caller_identity" "here" {}
resource "aws_backup_vault" "v" {
  name = "v"
  tags = { Account = data.aws_caller_identity.here.account_id }
}
""",
    })
    resources, errors, _ = load(root)
    assert not errors
    main = resources["aws_backup_vault.main"]
    tags = main.raw["tags"]
    account = tags["Account"]
    assert isinstance(account, DeployAccount) and main.meta["account"] == account
    assert isinstance(tags["Arn"], AccountArn) and tags["Arn"].account == account
    for plain in (main.raw["name"], tags["Upper"], tags["Caller"]):
        assert type(plain) is Unknown, plain
    assert tags["Pinned"] == "333333333333"
    same = resources["module.same.aws_backup_vault.v"]
    dr = resources["module.dr.aws_backup_vault.v"]
    assert same.raw["tags"]["Account"] == account == same.meta["account"]
    assert isinstance(dr.meta["account"], DeployAccount) and dr.meta["account"] != account
    assert dr.raw["tags"]["Account"] == dr.meta["account"]


def test_dynamic_block_over_objects_holding_the_caller_account_expands(tmp_path):
    """A caller identity's account inside the items of a dynamic block's list is a value, not
    an unknown shape: the block still expands (as it did when it was a Ref)."""
    root = write(tmp_path, {"main.tf": """
data "aws_caller_identity" "current" {}
locals {
  destinations = [
    { region = "us-west-2", registry_id = data.aws_caller_identity.current.account_id },
    { region = "eu-west-1", registry_id = data.aws_caller_identity.current.account_id },
  ]
}
resource "aws_ecr_replication_configuration" "this" {
  replication_configuration {
    rule {
      dynamic "destination" {
        for_each = local.destinations
        content {
          region      = destination.value.region
          registry_id = destination.value.registry_id
        }
      }
    }
  }
}
"""})
    resources, errors, _ = load(root)
    assert not errors
    rule = resources["aws_ecr_replication_configuration.this"].raw[
        "replication_configuration"][0]["rule"][0]
    assert [d["region"] for d in rule["destination"]] == ["us-west-2", "eu-west-1"]
    assert all(isinstance(d["registry_id"], DeployAccount) for d in rule["destination"])


def test_caller_identity_of_a_configuration_without_identity_stays_a_ref(tmp_path):
    """A provider instance chosen from a provider with for_each has no identity of its own here:
    its caller identity stays what any data source attribute is, a Ref read at apply time."""
    root = write(tmp_path, {"main.tf": """
provider "aws" {
  alias    = "by_region"
  for_each = toset(["us-east-1"])
  region   = each.key
}
data "aws_caller_identity" "here" {
  provider = aws.by_region["us-east-1"]
}
resource "aws_backup_vault" "v" {
  name = "v"
  tags = { Account = data.aws_caller_identity.here.account_id }
}
"""})
    resources, errors, _ = load(root)
    assert not errors
    account = resources["aws_backup_vault.v"].raw["tags"]["Account"]
    assert isinstance(account, Ref) and account.attribute == "account_id"


def test_an_unknown_argument_read_from_a_resource_still_names_it(tmp_path):
    """``aws_autoscaling_group.web.name`` where that name is unknown (a variable without value,
    ``basename(path.cwd)``) keeps its reason and the resource it belongs to; a part of it, or
    an operation on it, is a plain unknown (it no longer is that argument)."""
    from hadr_lint.graph import Graph
    from hadr_lint.model import Prefixed
    from hadr_lint.normalise import normalise

    write(tmp_path, {
        "main.tf": """
variable "name" { type = string }
resource "aws_autoscaling_group" "web" {
  name     = "ex-${basename(path.cwd)}"
  tags_all = var.tags_unknown
  min_size = 1
  max_size = 1
}
resource "aws_autoscaling_traffic_source_attachment" "web" {
  autoscaling_group_name = aws_autoscaling_group.web.name
  traffic_source {
    identifier = upper(aws_autoscaling_group.web.name)
    type       = aws_autoscaling_group.web.tags_all["kind"]
  }
}
""",
    })
    resources, errors, _ = load(tmp_path)
    assert not errors
    raw = resources["aws_autoscaling_traffic_source_attachment.web"].raw
    named = raw["autoscaling_group_name"]
    assert isinstance(named, Prefixed) and not named.suffix
    assert short(named.ref) == Ref("aws_autoscaling_group.web", "name")
    assert "path.cwd" in named.reason
    assert type(resources["aws_autoscaling_group.web"].raw["name"]) is Unknown  # its own
    source = raw["traffic_source"][0]
    for value in (source["identifier"], source["type"]):
        assert type(value) is Unknown, value
    graph = Graph([normalise(r) for r in resources.values()])
    group = next(r for r in graph.resources("autoscaling_group"))
    assert [a.type for a in graph.sources(group, relation="group")] == [
        "aws_autoscaling_traffic_source_attachment"]


def test_text_before_a_reference_still_mentions_it(tmp_path):
    """``"cluster:${aws_rds_cluster.main.cluster_identifier}"`` (Terraform) and ``!Sub
    cluster:${Cluster}`` (CloudFormation) are unknown strings that mention the cluster: a
    Prefixed with text before its reference, never the referenced value itself."""
    from hadr_lint.loaders.cloudformation import load_file
    from hadr_lint.model import Prefixed

    write(tmp_path, {"main.tf": """
variable "name" { type = string }
resource "aws_rds_cluster" "main" { cluster_identifier = var.name }
resource "aws_appautoscaling_target" "readers" {
  resource_id = "cluster:${aws_rds_cluster.main.cluster_identifier}"
  role_arn    = "arn:${aws_rds_cluster.main.arn}"
}
"""})
    resources, errors, _ = load(tmp_path)
    assert not errors
    raw = resources["aws_appautoscaling_target.readers"].raw
    for key, prefix, attribute in (("resource_id", "cluster:", "cluster_identifier"),
                                   ("role_arn", "arn:", "arn")):
        value = raw[key]
        assert isinstance(value, Prefixed) and not value.whole, value
        assert value.prefix == prefix
        assert short(value.ref) == Ref("aws_rds_cluster.main", attribute)
    template = """
Resources:
  Cluster: {Type: AWS::RDS::DBCluster, Properties: {Engine: aurora-mysql}}
  Readers:
    Type: AWS::ApplicationAutoScaling::ScalableTarget
    Properties:
      ResourceId: !Sub cluster:${Cluster}
      RoleARN: !Join [":", [a, b, !Ref Cluster]]
      Tags: !Join [":", [a, !Ref Cluster, b]]
"""
    result = load_file("stack.yaml", template, region="us-east-1")
    readers = next(r for r in result.resources if r.name == "Readers").raw
    assert (readers["ResourceId"].prefix, readers["ResourceId"].suffix) == ("cluster:", "")
    assert (readers["RoleARN"].prefix, readers["RoleARN"].suffix) == ("a:b:", "")
    assert readers["RoleARN"].ref.address.endswith("Cluster")
    assert type(readers["Tags"]) is Unknown  # text on both sides
