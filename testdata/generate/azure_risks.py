"""Azure content-rule fixtures: roles moved up the scope tree, and near misses.

azure-risks.json (subscription SUB, resource group app-rg)
  principal:…0101  Owner moved from app-rg to the subscription                      PD011 (critical)
  principal:…0102  Contributor moved from app-rg to the subscription: what it could do
                   in app-rg it can now do in every resource group                   PD015 PD016 PD017
  principal:…0103  new User Access Administrator on the subscription                 PD014 (critical)
  principal:…0104  new Role Based Access Control Administrator on app-rg              PD014 (high)
  principal:…0105  new Storage Blob Data Reader on the subscription                  PD019
  principal:…0106  Reader moved from app-rg to the subscription                      nothing
  principal:…0107  Contributor on app-rg already; a second, identical assignment      nothing (unchanged)

azure-resource-scopes.json (roles assigned on one resource grant only what applies there)
  principal:…0111  new Contributor on the firewall fw-edge: firewall operations only    PD001, no PD016/PD017
  principal:…0112  new Contributor on app-rg, for contrast                              PD016 PD017
  principal:…0113  new Reader on the network security group nsg-edge                   PD001
  principal:…0114  new Key Vault Secrets User on a storage account: nothing applies     unchanged, with a note
  principal:…0115  new Owner on the storage account: may assign roles on it             PD001, not PD011
  data.azurerm_client_config.current  the identity running Terraform grants itself
                   Contributor on app-rg                                             PD015 PD016 PD017
"""
from lib import RC, plan, config, cres, const, refs
from azure import (AZURERM, SUB_SCOPE, RG, pid, provider, assignment_state, planned)

ROLE_IDS = {
    "User Access Administrator": "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
    "Role Based Access Control Administrator": "f58310d9-a9f6-439a-9e8d-f62e7b41a168",
}


def generate(emit):
    rcs, res = [], []

    def config_of(address, principal, role, scope):
        res.append(cres(address, {"principal_id": const(principal), "role_definition_name": const(role),
                                  "scope": const(scope)}, key="azurerm"))

    def moved(name, principal, role, before_scope, after_scope):
        address = f"azurerm_role_assignment.{name}"
        before = assignment_state(name, principal, role, before_scope)
        after, unknown = planned(assignment_state(name, principal, role, after_scope))
        rcs.append(RC(address, ["delete", "create"], before, after, unknown=unknown, provider=AZURERM,
                      replace_paths=[["scope"]], reason="replace_because_cannot_update"))
        config_of(address, principal, role, after_scope)

    def created(name, principal, role, scope):
        address = f"azurerm_role_assignment.{name}"
        state = assignment_state(name, principal, role, scope)
        if role in ROLE_IDS:
            state["role_definition_id"] = f"{SUB_SCOPE}/providers/Microsoft.Authorization/roleDefinitions/{ROLE_IDS[role]}"
        after, unknown = planned(state)
        rcs.append(RC(address, ["create"], None, after, unknown=unknown, provider=AZURERM))
        config_of(address, principal, role, scope)

    def kept(name, principal, role, scope):
        address = f"azurerm_role_assignment.{name}"
        state = assignment_state(name, principal, role, scope)
        rcs.append(RC(address, ["no-op"], state, state, provider=AZURERM))
        config_of(address, principal, role, scope)

    moved("owner_up", pid(101), "Owner", RG, SUB_SCOPE)
    moved("contributor_up", pid(102), "Contributor", RG, SUB_SCOPE)
    created("access_admin", pid(103), "User Access Administrator", SUB_SCOPE)
    created("rbac_admin", pid(104), "Role Based Access Control Administrator", RG)
    created("blob_reader", pid(105), "Storage Blob Data Reader", SUB_SCOPE)
    moved("reader_up", pid(106), "Reader", RG, SUB_SCOPE)
    kept("steady_contributor", pid(107), "Contributor", RG)
    created("steady_contributor_again", pid(107), "Contributor", RG)

    p = plan(rcs, config(res, provider=provider()), timestamp="2025-06-14T10:00:00Z")
    emit("azure-risks.json", p, [
        (f"principal:{pid(101)}", "widened"),
        (f"principal:{pid(102)}", "widened"),
        (f"principal:{pid(103)}", "widened"),
        (f"principal:{pid(104)}", "widened"),
        (f"principal:{pid(105)}", "widened"),
        (f"principal:{pid(106)}", "widened"),
        (f"principal:{pid(107)}", "unchanged"),
    ])


def resource_scopes(emit):
    rcs, res = [], []
    firewall = f"{RG}/providers/Microsoft.Network/azureFirewalls/fw-edge"
    nsg = f"{RG}/providers/Microsoft.Network/networkSecurityGroups/nsg-edge"
    account = f"{RG}/providers/Microsoft.Storage/storageAccounts/acmelogs"
    for name, n, role, scope in [
        ("firewall_contributor", 111, "Contributor", firewall),
        ("group_contributor", 112, "Contributor", RG),
        ("nsg_reader", 113, "Reader", nsg),
        ("misplaced_secrets_user", 114, "Key Vault Secrets User", account),
        ("account_owner", 115, "Owner", account),
    ]:
        address = f"azurerm_role_assignment.{name}"
        after, unknown = planned(assignment_state(name, pid(n), role, scope))
        rcs.append(RC(address, ["create"], None, after, unknown=unknown, provider=AZURERM))
        res.append(cres(address, {"principal_id": const(pid(n)), "role_definition_name": const(role),
                                  "scope": const(scope)}, key="azurerm"))
    # The identity running Terraform, read at plan time, grants itself Contributor.
    me = {"client_id": "22222222-3333-4444-8555-000000000116", "object_id": pid(116),
          "subscription_id": SUB_SCOPE.split("/")[-1], "tenant_id": "33333333-4444-4555-8666-000000000001"}
    reader = RC("data.azurerm_client_config.current", ["read"], me, me, mode="data", provider=AZURERM)
    res.append(cres("data.azurerm_client_config.current", {}, mode="data", key="azurerm"))
    address = "azurerm_role_assignment.self_contributor"
    after, unknown = planned(assignment_state("self_contributor", pid(116), "Contributor", RG))
    rcs.append(RC(address, ["create"], None, after, unknown=unknown, provider=AZURERM))
    res.append(cres(address, {
        "principal_id": refs("data.azurerm_client_config.current.object_id",
                             "data.azurerm_client_config.current"),
        "role_definition_name": const("Contributor"), "scope": const(RG)}, key="azurerm"))
    p = plan(rcs, config(res, provider=provider()), timestamp="2025-06-14T10:00:00Z",
             prior_data=[reader])
    emit("azure-resource-scopes.json", p, [
        ("data.azurerm_client_config.current", "widened"),
        (f"principal:{pid(111)}", "widened"),
        (f"principal:{pid(112)}", "widened"),
        (f"principal:{pid(113)}", "widened"),
        (f"principal:{pid(114)}", "unchanged"),
        (f"principal:{pid(115)}", "widened"),
    ])
