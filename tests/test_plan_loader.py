"""The Terraform plan JSON loader, on the fixtures under fixtures/plan/ and small inline plans."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hadr_lint.loaders.plan import load_plan, looks_like_plan
from hadr_lint.model import LoadResult, Ref, Resource, Unknown

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "plan"
AFTER_APPLY = Unknown("known after apply")
AWS = "registry.terraform.io/hashicorp/aws"


def load_fixture(name: str) -> LoadResult:
    path = FIXTURES / name
    text = path.read_text(encoding="utf-8")
    return load_plan(str(path), json.loads(text), text)


def by_address(result: LoadResult) -> dict[str, Resource]:
    return {r.address: r for r in result.resources}


def line_of(name: str, needle: str) -> int:
    """1-based line of the first occurrence of ``needle`` in the fixture."""
    lines = (FIXTURES / name).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


@pytest.fixture(scope="module")
def multi_region() -> LoadResult:
    return load_fixture("multi_region.json")


@pytest.fixture(scope="module")
def modules() -> LoadResult:
    return load_fixture("module_providers.json")


# -- detection ---------------------------------------------------------------------------------


def test_looks_like_plan():
    assert looks_like_plan({"format_version": "1.2", "planned_values": {}})
    assert looks_like_plan({"format_version": "1.0", "terraform_version": "1.9.5", "values": {}})
    assert not looks_like_plan({"AWSTemplateFormatVersion": "2010-09-09", "Resources": {}})
    assert not looks_like_plan({"version": 4, "terraform_version": "1.9.5", "resources": []})
    assert not looks_like_plan([{"format_version": "1.2"}])


# -- the multi-region fixture ------------------------------------------------------------------


def test_managed_resources_and_the_data_sources_read_while_planning(multi_region):
    assert multi_region.errors == ()
    data = [r for r in multi_region.resources if r.meta["mode"] == "data"]
    assert [r.address for r in data] == ["data.aws_availability_zones.available"]
    assert data[0].raw["names"][:2] == ["us-east-1a", "us-east-1b"]
    assert data[0].region == "us-east-1"
    assert [r.address for r in multi_region.resources if r.meta["mode"] == "managed"] == [
        "aws_autoscaling_group.app",
        "aws_launch_template.app",
        "aws_lb.app",
        "aws_lb_target_group.app",
        "aws_s3_bucket.primary",
        "aws_s3_bucket.replica",
        "aws_subnet.private[0]",
        "aws_subnet.private[1]",
        "aws_subnet.private[2]",
        "aws_vpc.main",
        "module.db.aws_db_instance.this[0]",
        "module.db.aws_db_instance.this[1]",
        "module.db.aws_db_subnet_group.this",
    ]
    assert multi_region.files == (str(FIXTURES / "multi_region.json"),)
    assert multi_region.metadata["terraform_version"] == "1.9.5"


def test_resource_fields(multi_region):
    db = by_address(multi_region)["module.db.aws_db_instance.this[0]"]
    assert db.name == "module.db.aws_db_instance.this[0]"
    assert db.type == "aws_db_instance"
    assert db.source == "plan"
    assert db.module == "module.db"
    assert db.meta["mode"] == "managed"
    assert db.meta["index"] == 0
    assert db.meta["provider_config_key"] == "aws"
    assert db.meta["actions"] == ("create",)
    assert by_address(multi_region)["aws_vpc.main"].module == ""


def test_lines_point_at_planned_values(multi_region):
    name = "multi_region.json"
    asg = by_address(multi_region)["aws_autoscaling_group.app"].location
    assert asg.file == str(FIXTURES / name)
    assert asg.line == line_of(name, '"address": "aws_autoscaling_group.app"') == 65
    assert asg.end_line == 130
    subnet = by_address(multi_region)["aws_subnet.private[2]"].location
    assert subnet.line == line_of(name, '"address": "aws_subnet.private[2]"') == 408
    db = by_address(multi_region)["module.db.aws_db_instance.this[1]"].location
    assert (db.line, db.end_line) == (548, 616)


def test_regions_from_variable_and_alias(multi_region):
    resources = by_address(multi_region)
    assert resources["aws_vpc.main"].region == "us-east-1"  # provider "aws": var.region
    assert resources["aws_s3_bucket.replica"].region == "us-west-2"  # provider aws.dr
    assert resources["aws_s3_bucket.replica"].meta["provider_config_key"] == "aws.dr"
    assert resources["module.db.aws_db_instance.this[1]"].region == "us-east-1"
    # the bucket's own computed "region" attribute is unknown: the provider's region is used
    assert resources["aws_s3_bucket.primary"].raw["region"] == AFTER_APPLY
    assert resources["aws_s3_bucket.primary"].region == "us-east-1"


def test_subnets_have_concrete_zones(multi_region):
    resources = by_address(multi_region)
    zones = [resources[f"aws_subnet.private[{i}]"].raw["availability_zone"] for i in range(3)]
    assert zones == ["us-east-1a", "us-east-1b", "us-east-1c"]
    subnet = resources["aws_subnet.private[0]"].raw
    assert subnet["cidr_block"] == "10.0.1.0/24"
    assert subnet["id"] == AFTER_APPLY  # no expression: stays unknown
    assert subnet["vpc_id"] == Ref("aws_vpc.main", "id")
    assert subnet["tags"] == {"Name": "app-private-a", "Tier": "private"}


def test_asg_zone_identifier_expands_counted_subnets(multi_region):
    asg = by_address(multi_region)["aws_autoscaling_group.app"].raw
    assert asg["vpc_zone_identifier"] == [
        Ref("aws_subnet.private[0]", "id"),
        Ref("aws_subnet.private[1]", "id"),
        Ref("aws_subnet.private[2]", "id"),
    ]
    assert asg["target_group_arns"] == [Ref("aws_lb_target_group.app", "arn")]
    assert asg["launch_template"] == [
        {"version": "$Latest", "id": Ref("aws_launch_template.app", "id"), "name": AFTER_APPLY}
    ]
    assert asg["min_size"] == 3
    assert asg["health_check_type"] == "ELB"
    assert asg["availability_zones"] == AFTER_APPLY


def test_instance_references_are_not_expanded(multi_region):
    lb = by_address(multi_region)["aws_lb.app"].raw
    assert lb["subnets"] == [Ref("aws_subnet.private[0]", "id"), Ref("aws_subnet.private[1]", "id")]
    assert lb["security_groups"] == AFTER_APPLY


def test_module_variable_references_resolve_in_the_caller(multi_region):
    group = by_address(multi_region)["module.db.aws_db_subnet_group.this"].raw
    assert group["subnet_ids"] == [Ref(f"aws_subnet.private[{i}]", "id") for i in range(3)]
    assert group["name"] == "app-db"


def test_rds_multi_az_and_sensitive_values(multi_region):
    resources = by_address(multi_region)
    primary = resources["module.db.aws_db_instance.this[0]"].raw
    reporting = resources["module.db.aws_db_instance.this[1]"].raw
    assert (primary["multi_az"], reporting["multi_az"]) == (True, False)
    assert (primary["backup_retention_period"], reporting["backup_retention_period"]) == (7, 1)
    assert primary["db_subnet_group_name"] == "app-db"
    assert primary["availability_zone"] == AFTER_APPLY
    assert primary["password"] == "example-not-a-secret"  # sensitive, but present: kept


# -- modules, for_each and provider configurations --------------------------------------------


def test_module_providers(modules):
    assert modules.errors == ()
    regions = {r.address: r.region for r in modules.resources}
    assert regions == {
        "aws_dynamodb_table.orders": "eu-west-1",
        'module.replica["assets"].aws_s3_bucket.this': "eu-central-1",
        'module.replica["assets"].aws_s3_bucket_versioning.this': "eu-central-1",
        'module.replica["logs"].aws_s3_bucket.this': "eu-central-1",
        'module.replica["logs"].aws_s3_bucket_versioning.this': "eu-central-1",
        "module.regional.aws_sqs_queue.this": "ap-southeast-2",
        "module.regional.module.table.aws_dynamodb_table.this": "ap-southeast-2",
    }


def test_for_each_module_references_and_lines(modules):
    resources = by_address(modules)
    versioning = resources['module.replica["logs"].aws_s3_bucket_versioning.this']
    assert versioning.module == 'module.replica["logs"]'
    assert versioning.raw["bucket"] == Ref('module.replica["logs"].aws_s3_bucket.this', "id")
    assert versioning.raw["versioning_configuration"] == [
        {"mfa_delete": AFTER_APPLY, "status": "Enabled"}
    ]
    needle = '"address": "module.replica[\\"logs\\"].aws_s3_bucket_versioning'
    assert versioning.location.line == line_of("module_providers.json", needle)
    table = resources["module.regional.module.table.aws_dynamodb_table.this"]
    assert table.module == "module.regional.module.table"
    assert table.raw["point_in_time_recovery"] == [{"enabled": False}]


# -- errors ------------------------------------------------------------------------------------


def test_other_format_version_is_an_error():
    result = load_fixture("format_v2.json")
    assert result.resources == ()
    assert [e.message for e in result.errors] == [
        "unsupported plan format version 2.0 (expected 1.x, or 0.1 / 0.2 from Terraform 0.12-0.15)"
    ]
    assert result.errors[0].file == str(FIXTURES / "format_v2.json")


def test_malformed_structure_is_reported_not_raised():
    result = load_fixture("malformed.json")
    assert [r.address for r in result.resources] == ["aws_vpc.ok"]
    messages = [e.message for e in result.errors]
    assert "aws_subnet.bad: values is not an object" in messages
    assert "planned_values module.broken: resources is not a list" in messages
    assert "resource_changes is not a list" in messages
    assert len(messages) == 6
    assert all(e.file == str(FIXTURES / "malformed.json") for e in result.errors)
    bad = next(e for e in result.errors if e.message.startswith("aws_subnet.bad"))
    assert bad.line == line_of("malformed.json", '"address": "aws_subnet.bad"')
    assert isinstance(result.resources[0].region, Unknown)


@pytest.mark.parametrize(
    "data",
    [
        {"format_version": "1.2"},
        {"format_version": "1.2", "planned_values": []},
        {"format_version": "1.2", "planned_values": {"root_module": "x"}},
        {"format_version": 1, "planned_values": {}},
        {"format_version": "1.2", "planned_values": {"root_module": {"child_modules": {}}}},
    ],
)
def test_broken_plans_never_raise(data):
    result = load_plan("plan.json", data, json.dumps(data))
    assert result.resources == ()
    assert len(result.errors) == 1
    assert result.errors[0].file == "plan.json"


# -- small inline plans ------------------------------------------------------------------------


def resource(address: str, values: dict, index: object = None) -> dict:
    kind, name = address.rsplit(".", 2)[-2:]
    item = {"address": address, "mode": "managed", "type": kind, "name": name.split("[")[0]}
    if index is not None:
        item["index"] = index
    item.update({"provider_name": AWS, "schema_version": 0, "values": values})
    return item


def change(address: str, after_unknown: dict, actions: tuple = ("create",)) -> dict:
    return {"address": address, "mode": "managed",
            "change": {"actions": list(actions), "after_unknown": after_unknown}}


def config(address: str, key: str, expressions: dict) -> dict:
    kind, name = address.split(".")
    return {"address": address, "mode": "managed", "type": kind, "name": name,
            "provider_config_key": key, "expressions": expressions}


def plan(resources: list, changes: list, configs: list, **extra: object) -> dict:
    data = {
        "format_version": "1.2",
        "terraform_version": "1.9.5",
        "planned_values": {"root_module": {"resources": resources}},
        "resource_changes": changes,
        "configuration": {
            "provider_config": {"aws": {
                "name": "aws", "full_name": AWS,
                "expressions": {"region": {"constant_value": "eu-west-1"}},
            }},
            "root_module": {"resources": configs},
        },
    }
    data.update(extra)
    return data


def load(data: dict) -> dict[str, Resource]:
    result = load_plan("plan.json", data, json.dumps(data))
    assert result.errors == ()
    return by_address(result)


def test_compact_json_lines_are_line_one():
    data = plan([resource("aws_vpc.main", {"cidr_block": "10.0.0.0/16"})], [], [])
    loaded = load(data)["aws_vpc.main"]
    assert (loaded.location.line, loaded.location.end_line) == (1, 1)


def test_list_elements_line_up_with_references():
    refs = ["aws_subnet.b.id", "aws_subnet.b", "aws_subnet.c.id", "aws_subnet.c"]
    data = plan(
        [
            resource("aws_lb.app", {"subnets": ["subnet-0abc", None, None]}),
            resource("aws_subnet.b", {"availability_zone": "eu-west-1b"}),
            resource("aws_subnet.c", {"availability_zone": "eu-west-1c"}),
        ],
        [change("aws_lb.app", {"subnets": [False, True, True]}),
         change("aws_subnet.b", {"id": True}), change("aws_subnet.c", {"id": True})],
        [config("aws_lb.app", "aws", {"subnets": {"references": refs}})],
    )
    assert load(data)["aws_lb.app"].raw["subnets"] == [
        "subnet-0abc", Ref("aws_subnet.b", "id"), Ref("aws_subnet.c", "id")
    ]


def test_known_ids_of_referenced_resources_are_used():
    refs = ["aws_subnet.new.id", "aws_subnet.new", "aws_subnet.old.id", "aws_subnet.old"]
    data = plan(
        [
            resource("aws_lb.app", {}),
            resource("aws_subnet.new", {}),
            resource("aws_subnet.old", {"id": "subnet-0old"}),
        ],
        [change("aws_lb.app", {"subnets": True}), change("aws_subnet.new", {"id": True}),
         change("aws_subnet.old", {}, ("no-op",))],
        [config("aws_lb.app", "aws", {"subnets": {"references": refs}})],
    )
    assert load(data)["aws_lb.app"].raw["subnets"] == [Ref("aws_subnet.new", "id"), "subnet-0old"]


def test_unresolvable_references_stay_unknown():
    data = plan(
        [resource("aws_lb.app", {}), resource("aws_db_instance.main", {})],
        [change("aws_lb.app", {"subnets": True}),
         change("aws_db_instance.main", {"db_subnet_group_name": True})],
        [config("aws_lb.app", "aws", {"subnets": {"references": [
            "module.vpc.private_subnets", "module.vpc"]}}),
         config("aws_db_instance.main", "aws", {"db_subnet_group_name": {"references": [
            "aws_db_subnet_group.gone.name", "aws_db_subnet_group.gone"]}})],
    )
    loaded = load(data)
    assert loaded["aws_lb.app"].raw["subnets"] == AFTER_APPLY
    assert loaded["aws_db_instance.main"].raw["db_subnet_group_name"] == AFTER_APPLY


def test_scalar_reference_is_one_ref():
    data = plan(
        [resource("aws_instance.web", {"instance_type": "t3.micro"}), resource("aws_subnet.a", {})],
        [change("aws_instance.web", {"subnet_id": True, "id": True}),
         change("aws_subnet.a", {"id": True})],
        [config("aws_instance.web", "aws", {"subnet_id": {"references": [
            "aws_subnet.a.id", "aws_subnet.a"]}})],
    )
    raw = load(data)["aws_instance.web"].raw
    assert raw["subnet_id"] == Ref("aws_subnet.a", "id")
    assert raw["id"] == AFTER_APPLY
    assert raw["instance_type"] == "t3.micro"


def test_resource_level_region_wins():
    data = plan([resource("aws_s3_bucket.logs", {"bucket": "logs", "region": "eu-central-1"})],
                [], [config("aws_s3_bucket.logs", "aws", {})])
    assert load(data)["aws_s3_bucket.logs"].region == "eu-central-1"


def module_plan(key: str, provider_config: dict, providers: dict | None = None) -> dict:
    module = {"resources": [config("aws_db_instance.this", key, {})]}
    call: dict = {"source": "./db", "module": module}
    if providers is not None:
        call["providers"] = providers
    data = plan([], [], [])
    data["planned_values"]["root_module"]["child_modules"] = [{
        "address": "module.db",
        "resources": [resource("module.db.aws_db_instance.this", {"multi_az": True})],
    }]
    data["configuration"]["provider_config"].update(provider_config)
    data["configuration"]["provider_config"]["aws.dr"] = {
        "name": "aws", "alias": "dr", "expressions": {"region": {"constant_value": "us-west-2"}}}
    data["configuration"]["root_module"]["module_calls"] = {"db": call}
    return data


@pytest.mark.parametrize("key", ["module.db:aws", "db:aws"])
def test_module_provider_without_configuration_inherits(key):
    data = module_plan(key, {key: {"name": "aws", "full_name": AWS, "module_address": "module.db"}})
    assert load(data)["module.db.aws_db_instance.this"].region == "eu-west-1"


def test_module_call_providers_mapping():
    data = module_plan("module.db:aws", {}, providers={"aws": "aws.dr"})
    assert load(data)["module.db.aws_db_instance.this"].region == "us-west-2"


def test_unknown_provider_region():
    data = plan([resource("aws_vpc.main", {})], [], [config("aws_vpc.main", "aws.gone", {})])
    data["configuration"]["provider_config"]["aws"]["expressions"]["region"] = {
        "references": ["data.aws_region.current.name", "data.aws_region.current"]}
    assert load(data)["aws_vpc.main"].region == Unknown("region of provider aws.gone unknown")
    data["configuration"]["root_module"]["resources"][0]["provider_config_key"] = "aws"
    assert load(data)["aws_vpc.main"].region == Unknown("region of provider aws unknown")


def test_state_json_is_read_without_unknowns():
    data = {"format_version": "1.0", "terraform_version": "1.9.5", "values": {"root_module": {
        "resources": [resource("aws_vpc.main", {"id": "vpc-0abc", "cidr_block": "10.0.0.0/16"})]}}}
    assert looks_like_plan(data)
    vpc = load(data)["aws_vpc.main"]
    assert vpc.raw == {"id": "vpc-0abc", "cidr_block": "10.0.0.0/16"}
    assert isinstance(vpc.region, Unknown)


def test_errored_plan_is_noted():
    data = plan([], [], [], errored=True)
    result = load_plan("plan.json", data, json.dumps(data))
    assert result.notes == ("plan.json: the plan errored; its resources may be incomplete",)


def _subnet(index: int) -> dict:
    return {
        "address": f"module.vpc.aws_subnet.private[{index}]", "mode": "managed",
        "type": "aws_subnet", "name": "private", "index": index,
        "values": {"availability_zone": f"eu-west-1{'abc'[index]}", "cidr_block": "10.0.0.0/24"},
    }


def test_references_through_a_module_output_reach_its_resources():
    plan = {
        "format_version": "1.2",
        "planned_values": {"root_module": {
            "resources": [{
                "address": "aws_autoscaling_group.web", "mode": "managed",
                "type": "aws_autoscaling_group", "name": "web",
                "values": {"min_size": 3, "max_size": 6},
            }],
            "child_modules": [{
                "address": "module.vpc",
                "resources": [_subnet(i) for i in range(3)],
            }],
        }},
        "resource_changes": [
            {"address": "aws_autoscaling_group.web", "change": {
                "actions": ["create"], "after": {"min_size": 3, "max_size": 6},
                "after_unknown": {"vpc_zone_identifier": True}}},
        ] + [
            {"address": f"module.vpc.aws_subnet.private[{i}]", "change": {
                "actions": ["create"], "after": _subnet(i)["values"],
                "after_unknown": {"id": True}}}
            for i in range(3)
        ],
        "configuration": {"root_module": {
            "resources": [{
                "address": "aws_autoscaling_group.web", "mode": "managed",
                "type": "aws_autoscaling_group", "name": "web",
                "expressions": {"vpc_zone_identifier": {
                    "references": ["module.vpc.private_subnets", "module.vpc"]}},
            }],
            "module_calls": {"vpc": {"source": "./vpc", "module": {
                "outputs": {"private_subnets": {"expression": {
                    "references": ["aws_subnet.private[*].id", "aws_subnet.private"]}}},
                "resources": [{"address": "aws_subnet.private", "mode": "managed",
                               "type": "aws_subnet", "name": "private"}],
            }}},
        }},
    }
    result = load_plan("plan.json", plan, json.dumps(plan, indent=1))
    assert not result.errors
    group = by_address(result)["aws_autoscaling_group.web"]
    assert group.raw["vpc_zone_identifier"] == [
        Ref(f"module.vpc.aws_subnet.private[{i}]", "id") for i in range(3)
    ]


def test_a_data_source_resolves_ids_but_a_managed_resource_with_the_same_id_wins():
    from hadr_lint.engine import normalise_all
    from hadr_lint.graph import Graph

    managed = resource("aws_subnet.app", {"id": "subnet-01", "availability_zone": "eu-west-1a"})
    lookup = dict(resource("aws_subnet.app_lookup", {"id": "subnet-01",
                                                      "availability_zone": "eu-west-1a"}),
                  address="data.aws_subnet.app_lookup", mode="data")
    other = dict(resource("aws_subnet.shared", {"id": "subnet-02",
                                                "availability_zone": "eu-west-1b"}),
                 address="data.aws_subnet.shared", mode="data")
    plan = {"format_version": "1.2", "planned_values": {"root_module": {"resources": [managed]}},
            "prior_state": {"values": {"root_module": {"resources": [lookup, other]}}},
            "configuration": {"provider_config": {"aws": {"expressions": {
                "region": {"constant_value": "eu-west-1"}}}}, "root_module": {"resources": [
                    {"address": f"data.aws_subnet.{n}", "mode": "data", "type": "aws_subnet",
                     "name": n, "provider_config_key": "aws"} for n in ("app_lookup", "shared")
                ]}}}
    result = load_plan("plan.json", plan, json.dumps(plan))
    graph = Graph(normalise_all([result]))
    assert [r.address for r in graph.resources("subnet")] == ["aws_subnet.app"]
    assert [r.address for r in graph.data_sources()] == ["data.aws_subnet.app_lookup",
                                                         "data.aws_subnet.shared"]
    assert graph.resolve("subnet-01", "subnet").address == "aws_subnet.app"
    shared = graph.resolve("subnet-02", "subnet")
    assert shared.address == "data.aws_subnet.shared" and shared.region == "eu-west-1"
    assert shared.get("availability_zone") == "eu-west-1b"


@pytest.mark.parametrize(("version", "terraform"), [("0.1", "0.12.31"), ("0.1", "0.14.11"),
                                                   ("0.2", "0.15.5"), ("1.2", "1.9.5")])
def test_plans_of_terraform_0_12_to_0_15_load_like_1_x(version, terraform):
    """Same structure: 0.12 writes provider_name "aws" and references whole resources."""
    data = json.loads((FIXTURES / "multi_region.json").read_text(encoding="utf-8"))
    data.update(format_version=version, terraform_version=terraform)
    text = json.dumps(data, indent=2)
    result = load_plan("plan.json", json.loads(text), text)
    reference = load_fixture("multi_region.json")
    assert result.errors == ()
    assert result.metadata["format_version"] == version
    assert [(r.address, r.raw, r.region) for r in result.resources] == [
        (r.address, r.raw, r.region) for r in reference.resources]


@pytest.mark.parametrize("version", ["0.3", "0.0", "3.0", "01", ""])
def test_unknown_plan_format_versions_are_refused(version):
    data = {"format_version": version, "planned_values": {"root_module": {"resources": []}}}
    result = load_plan("env/prod/plan.json", data, json.dumps(data))
    assert [(e.file, e.message.split(" (")[0]) for e in result.errors] == [
        ("env/prod/plan.json", f"unsupported plan format version {version}")]
