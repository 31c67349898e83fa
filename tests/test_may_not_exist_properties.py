"""Property: a resource whose existence is unknown is never named by a finding.

Random small Terraform modules are built from resources that each break some rule (an ASG or a
load balancer in one subnet, RDS without Multi-AZ, a bucket without versioning, ...). One or more
of them get an instance count that cannot be known (``count = var.x ? 1 : 0``, ``count =
var.n``, ``for_each = var.keys``, all without a value, or a module call with such a count). The
scan with every rule must not name those resources in any finding; the same module scanned with
the counts known (the control) does name them, so the property cannot hold vacuously.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hadr_lint.config import parse_config
from hadr_lint.engine import ScanOptions, scan
from hadr_lint.rulebase import all_rules

PROPERTY = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

SUBNET = """resource "aws_subnet" "{name}" {{
  vpc_id            = "vpc-0123456789abcdef0"
  cidr_block        = "10.0.{index}.0/24"
  availability_zone = "us-east-1{zone}"
}}
"""

# Each body breaks at least one rule with the objectives below; {subnet} is a subnet address.
BODIES = {
    "aws_autoscaling_group": """  name                = "{name}"
  min_size            = 1
  max_size            = 4
  vpc_zone_identifier = [{subnet}.id]
""",
    "aws_lb": """  name    = "{name}"
  subnets = [{subnet}.id]
""",
    "aws_db_instance": """  identifier        = "{name}"
  engine            = "postgres"
  instance_class    = "db.m6g.large"
  allocated_storage = 100
{multi_az}""",
    "aws_s3_bucket": """  bucket = "{name}-data"
""",
    "aws_dynamodb_table": """  name         = "{name}"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"
  attribute {{
    name = "id"
    type = "S"
  }}
""",
    "aws_elasticache_replication_group": """  replication_group_id = "{name}"
  description          = "cache"
  engine               = "redis"
  node_type            = "cache.r7g.large"
  num_cache_clusters   = 1
""",
    "aws_efs_file_system": """  availability_zone_name = "us-east-1a"
""",
}

# How a resource's count becomes unknown: a variable of this type without a value.
UNKNOWN_COUNTS = {
    "switch": ("bool", "count = var.{var} ? 1 : 0"),
    "number": ("number", "count = var.{var}"),
    "for_each": ("set(string)", "for_each = var.{var}"),
}
KNOWN_COUNTS = {"switch": "count = 1", "number": "count = 1", "for_each": 'for_each = ["a"]'}

items = st.tuples(
    st.sampled_from(sorted(BODIES)),
    st.booleans(),  # whether this resource's count is made unknown
    st.sampled_from(sorted(UNKNOWN_COUNTS)),
    st.booleans(),  # inside a module call (the call's count is then the unknown one)
    st.sampled_from(["", "  multi_az          = false\n"]),
)
modules = st.lists(items, min_size=1, max_size=4).filter(lambda xs: any(x[1] for x in xs))
OBJECTIVES = {"objectives": {"strategy": "warm-standby", "rpo": "1h", "rto": "4h",
                             "primary_region": "us-east-1"}}


def _files(spec: list, known: bool) -> tuple[dict[str, str], dict[str, str]]:
    """({path: text}, {resource name: its address prefix}) of the module; ``known`` writes the
    control, where every count is 1."""
    files: dict[str, list[str]] = {"main.tf": ['provider "aws" {\n  region = "us-east-1"\n}\n']}
    unknown: dict[str, str] = {}
    for index, (rtype, hidden, how, in_module, multi_az) in enumerate(spec):
        name = f"r{index}"
        subnet = f"aws_subnet.s{index}"
        block = SUBNET.format(name=f"s{index}", index=index, zone="abc"[index % 3])
        vtype, unknown_count = UNKNOWN_COUNTS[how]
        count = KNOWN_COUNTS[how] if known else unknown_count.format(var=f"v{index}")
        body = BODIES[rtype].format(name=name, subnet=subnet, multi_az=multi_az)
        if in_module:
            folder = f"modules/m{index}/main.tf"
            files[folder] = [block, f'resource "{rtype}" "{name}" {{\n{body}}}\n']
            call = f'  source = "./modules/m{index}"\n'
            if hidden:
                call += f"  {count}\n"
            files["main.tf"].append(f'module "m{index}" {{\n{call}}}\n')
            address = f"module.m{index}"
        else:
            files["main.tf"].append(block)
            meta = f"  {count}\n" if hidden else ""
            files["main.tf"].append(f'resource "{rtype}" "{name}" {{\n{meta}{body}}}\n')
            address = f"{rtype}.{name}"
        if hidden:
            files["main.tf"].append(f'variable "v{index}" {{\n  type = {vtype}\n}}\n')
            unknown[name] = address
    return {path: "\n".join(parts) for path, parts in files.items()}, unknown


def _findings(files: dict[str, str]) -> list:
    with tempfile.TemporaryDirectory() as folder:
        for path, text in files.items():
            target = Path(folder) / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text)
        result = scan(ScanOptions(paths=(Path(folder),)), parse_config(OBJECTIVES), all_rules())
        assert result.errors == (), result.errors
        return list(result.findings)


def _names(finding, address: str) -> bool:
    """The finding is on the resource (or an instance of it, or inside the module), or its
    message mentions it."""
    resource = finding.resource
    return resource == address or resource.startswith((f"{address}[", f"{address}.")) \
        or address in finding.message


@PROPERTY
@given(modules)
def test_no_finding_names_a_resource_that_may_not_exist(spec):
    files, unknown = _files(spec, known=False)
    findings = _findings(files)
    for address in unknown.values():
        named = [f"{f.rule_id} {f.resource}: {f.message}" for f in findings if _names(f, address)]
        assert named == [], (address, named, files["main.tf"])
    control, _ = _files(spec, known=True)
    found = _findings(control)
    for address in unknown.values():  # the same resources, certainly there, are findings
        assert any(_names(f, address) for f in found), (address, control["main.tf"])
