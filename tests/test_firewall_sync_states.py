"""A Network Firewall's ``firewall_status[0].sync_states``, as the Terraform loader evaluates it:
one sync state per subnet mapping, a set of unknown order, whose endpoint a filter can pick."""

from __future__ import annotations

from pathlib import Path

from hadr_lint.config import Config
from hadr_lint.engine import ScanOptions, load_all
from hadr_lint.model import FirewallEndpoint, Ref, Unknown

FIREWALL = """
resource "aws_subnet" "fw_a" {
  vpc_id            = "vpc-0123456789abcdef0"
  cidr_block        = "10.0.0.0/28"
  availability_zone = "us-east-1a"
}

resource "aws_subnet" "fw_b" {
  vpc_id            = "vpc-0123456789abcdef0"
  cidr_block        = "10.0.0.16/28"
  availability_zone = "us-east-1b"
}

resource "aws_subnet" "app_b" {
  vpc_id            = "vpc-0123456789abcdef0"
  cidr_block        = "10.0.1.0/24"
  availability_zone = "us-east-1b"
}

resource "aws_networkfirewall_firewall" "fw" {
  name                = "fw"
  firewall_policy_arn = "arn:aws:network-firewall:us-east-1:111122223333:firewall-policy/fw"
  vpc_id              = "vpc-0123456789abcdef0"
  subnet_mapping {
    subnet_id = aws_subnet.fw_a.id
  }
  subnet_mapping {
    subnet_id = aws_subnet.fw_b.id
  }
}
"""


def picked(tmp_path: Path, expression: str, firewall: str = FIREWALL) -> object:
    """The value of ``expression`` as an argument of a resource next to the firewall."""
    (tmp_path / "main.tf").write_text(firewall + f"""
locals {{
  states = aws_networkfirewall_firewall.fw.firewall_status[0].sync_states
}}

resource "aws_ssm_parameter" "probe" {{
  name  = "probe"
  type  = "String"
  value = {expression}
}}
""")
    results = load_all(ScanOptions(paths=(tmp_path,)), Config())
    assert not [e for r in results for e in r.errors]
    probe = next(r for res in results for r in res.resources if r.type == "aws_ssm_parameter")
    return probe.raw["value"]


def endpoint_subnet(value: object) -> str:
    assert isinstance(value, FirewallEndpoint), value
    assert value.firewall.endswith("::aws_networkfirewall_firewall.fw")
    assert isinstance(value.subnet, Ref) and value.subnet.attribute == "id"
    return value.subnet.address.split("::", 1)[1]


def test_filter_by_subnet_id_picks_that_subnets_endpoint(tmp_path):
    value = picked(tmp_path, """element([
    for ss in tolist(local.states) : ss.attachment[0].endpoint_id
    if ss.attachment[0].subnet_id == aws_subnet.fw_b.id
  ], 0)""")
    assert endpoint_subnet(value) == "aws_subnet.fw_b"


def test_filter_by_a_subnets_zone_picks_the_endpoint_in_that_zone(tmp_path):
    value = picked(tmp_path, """[
    for ss in local.states : ss.attachment[0].endpoint_id
    if ss.availability_zone == aws_subnet.app_b.availability_zone
  ][0]""")
    assert endpoint_subnet(value) == "aws_subnet.fw_b"


def test_filter_by_a_literal_zone_name(tmp_path):
    value = picked(tmp_path, """one([
    for ss in local.states : ss.attachment[0].endpoint_id if ss.availability_zone == "us-east-1a"
  ])""")
    assert endpoint_subnet(value) == "aws_subnet.fw_a"


def test_a_map_by_zone_is_certain_whatever_the_order(tmp_path):
    value = picked(tmp_path, """{
    for ss in local.states : ss.availability_zone => ss.attachment[0].endpoint_id
  }["us-east-1b"]""")
    assert endpoint_subnet(value) == "aws_subnet.fw_b"


def test_the_unfiltered_states_by_position_stay_unknown(tmp_path):
    for expression in ("tolist(local.states)[0].attachment[0].endpoint_id",
                       "element(tolist(local.states), 1).attachment[0].endpoint_id",
                       "local.states[*].attachment[0].endpoint_id[0]",
                       "[for ss in local.states : ss.attachment[0].endpoint_id][0]"):
        value = picked(tmp_path, expression)
        assert isinstance(value, Unknown) and not isinstance(value, FirewallEndpoint), expression
        assert "order" in value.reason and "known only after apply" in value.reason, expression


def test_how_many_states_is_known(tmp_path):
    assert picked(tmp_path, "length(local.states)") == 2
    assert picked(tmp_path, "length([for ss in local.states : ss if ss.availability_zone != "
                            '"us-east-1c"])') == 2


def test_a_firewall_with_one_subnet_has_one_certain_state(tmp_path):
    one_subnet = FIREWALL.replace("""  subnet_mapping {
    subnet_id = aws_subnet.fw_b.id
  }
""", "")
    value = picked(tmp_path, "tolist(local.states)[0].attachment[0].endpoint_id", one_subnet)
    assert endpoint_subnet(value) == "aws_subnet.fw_a"


def test_zones_that_cannot_be_compared_leave_the_filter_unknown(tmp_path):
    by_zone_id = FIREWALL.replace('availability_zone = "us-east-1a"',
                                  'availability_zone_id = "use1-az1"')
    value = picked(tmp_path, """element([
    for ss in local.states : ss.attachment[0].endpoint_id
    if ss.availability_zone == aws_subnet.app_b.availability_zone
  ], 0)""", by_zone_id)
    assert isinstance(value, Unknown) and not isinstance(value, FirewallEndpoint)
    assert "cannot compare" in value.reason


def test_other_status_attributes_stay_references(tmp_path):
    value = picked(tmp_path, "aws_networkfirewall_firewall.fw.firewall_status[0].status")
    assert isinstance(value, Ref) and value.attribute == "firewall_status[0].status"
    assert value.address.endswith("::aws_networkfirewall_firewall.fw")


def test_unknown_subnet_mappings_leave_the_states_unknown(tmp_path):
    unknown_mappings = FIREWALL.replace("""  subnet_mapping {
    subnet_id = aws_subnet.fw_a.id
  }
  subnet_mapping {
    subnet_id = aws_subnet.fw_b.id
  }""", """  dynamic "subnet_mapping" {
    for_each = var.firewall_subnets
    content {
      subnet_id = subnet_mapping.value
    }
  }""") + 'variable "firewall_subnets" {\n  type = list(string)\n}\n'
    value = picked(tmp_path, """element([
    for ss in local.states : ss.attachment[0].endpoint_id if ss.availability_zone == "us-east-1a"
  ], 0)""", unknown_mappings)
    assert isinstance(value, Unknown) and not isinstance(value, FirewallEndpoint)
