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
"""
from lib import RC, plan, config, cres, const
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
