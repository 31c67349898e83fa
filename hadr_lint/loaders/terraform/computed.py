"""Attributes AWS computes at apply time whose structure the configuration already decides.

A resource's attribute that no argument sets is a ``Ref`` (only known after apply). A few are
known in part: a Network Firewall's ``firewall_status[0].sync_states`` holds one sync state per
``subnet_mapping``, in that subnet's zone, with the endpoint of that subnet. Configurations
pick a zone's endpoint out of it::

    element([for ss in aws_networkfirewall_firewall.fw.firewall_status[0].sync_states :
             ss.attachment[0].endpoint_id if ss.attachment[0].subnet_id == aws_subnet.a.id], 0)

``computed(rtype, address, read, locate)`` gives such an attribute's value, or None when it
knows nothing of it. The sync states are a set: their order is unknown (``Unordered``), a
filter that keeps one of them is certain (``hadr_lint.loaders.terraform.evaluate``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hadr_lint.model import FirewallEndpoint, Ref, Unknown, Unordered

FIREWALL = "aws_networkfirewall_firewall"


def computed(rtype: str, address: str, read: Callable[[str], Any],
             locate: Callable[[Any], Any]) -> Callable[[str], Any] | None:
    """The ``computed`` hook of a ``ResourceObject`` of type ``rtype`` at ``address``, None when
    the type has none. ``read(key)`` is a configured argument of the resource; ``locate(id)``
    is the availability zone of the subnet ``id`` designates, as an expression reads it."""
    if rtype != FIREWALL:
        return None

    def attribute(key: str) -> Any:
        if key != "firewall_status":
            return None
        return [FirewallStatus(address, sync_states(address, read("subnet_mapping"), locate))]

    return attribute


class FirewallStatus(dict):
    """``firewall_status[0]``: its ``sync_states`` known in part, every other attribute (status,
    capacity_usage_summary ...) a Ref, as for any attribute known only after apply."""

    def __init__(self, address: str, states: Any) -> None:
        super().__init__(sync_states=states)
        self.address = address

    def missing(self, name: str) -> Ref:
        return Ref(self.address, f"firewall_status[0].{name}")


def sync_states(address: str, mappings: Any, locate: Callable[[Any], Any]) -> Any:
    """One sync state per subnet mapping: a list when there is at most one, else an
    ``Unordered`` set; an Unknown when the mappings are unknown."""
    if isinstance(mappings, Unknown) or not isinstance(mappings, list):
        return Ref(address, "firewall_status[0].sync_states")
    states = []
    for mapping in mappings:
        subnet = mapping.get("subnet_id") if isinstance(mapping, dict) else None
        if subnet is None:
            return Ref(address, "firewall_status[0].sync_states")
        states.append(_state(address, subnet, locate))
    if len(states) <= 1:
        return states
    return Unordered(f"the order of {address}'s sync states is known only after apply (a set)",
                     items=tuple(states))


def _state(address: str, subnet: Any, locate: Callable[[Any], Any]) -> dict[str, Any]:
    endpoint = FirewallEndpoint(f"the endpoint of {address} in subnet {_shown(subnet)} is "
                                "only known after apply", firewall=address, subnet=subnet)
    status = Unknown(f"the status of {address}'s endpoints is only known after apply")
    return {
        "availability_zone": locate(subnet),
        "attachment": [{"subnet_id": subnet, "endpoint_id": endpoint, "status": status,
                        "status_message": status}],
    }


def _shown(subnet: Any) -> str:
    if isinstance(subnet, Ref):
        return subnet.address
    if isinstance(subnet, Unknown):
        return "(unknown)"
    return str(subnet)
