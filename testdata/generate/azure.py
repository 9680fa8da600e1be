"""Azure RBAC fixtures: role assignments per principal, built-in and custom roles.

azure-rbac.json (subscription SUB, resource group app-rg unless said)
  azurerm_user_assigned_identity.deployer   new identity, new Contributor on app-rg; its
                                            principal_id is known after apply, resolved
                                            through the configuration                      created
  azurerm_user_assigned_identity.ci         Reader moved from app-rg to the subscription   widened
  principal:…0003 (ops)                     Reader → Owner on app-rg                        widened
  principal:…0004 (former admin)            Owner → Reader on app-rg                        narrowed
  principal:…0005 (legacy)                  its Contributor assignment is deleted           narrowed
  azurerm_user_assigned_identity.old        identity and its assignment deleted             deleted
  principal:…0006 (batch)                   Contributor replaced by the same assignment     unchanged
  principal:…0007 (auditor)                 scope and role name change only in case         unchanged
  principal:…0008 (operator)                custom role loses a NotActions entry            widened
  principal:…0009 (analyst)                 Owner kept, Storage Blob Data Reader added
                                            (Owner's Actions `*` grants no data action)      widened
  principal:…0010 (vendor)                  role by a definition id in no table             unverifiable
  azurerm_linux_web_app.api                 its system-assigned identity gets Key Vault
                                            Secrets User on a vault                         widened
  (principal of azurerm_role_assignment.external known after apply)
                                            principal from outside the plan, known after apply:
                                            one stands for it and gains the role           widened

azure-management-group.json
  principal:…0011  Reader moved from SUB to management group platform, which holds SUB  widened
  principal:…0012  Reader moved from management group platform (holding SUB) to SUB     narrowed
  principal:…0013  Reader moved from SUB to management group sandbox (no known subs)    widened
  principal:…0015  Reader moved from platform to SUB2, whose group apps is a child of
                   platform (nested groups)                                             narrowed
"""
from lib import RC, plan, config, cres, const, refs, update, noop

AZURERM = "registry.terraform.io/hashicorp/azurerm"
SUB = "00000000-aaaa-4bbb-8ccc-000000000001"
SUB_SCOPE = f"/subscriptions/{SUB}"
RG = f"{SUB_SCOPE}/resourceGroups/app-rg"
AUTH = "Microsoft.Authorization/roleDefinitions"


def pid(n):
    return f"11111111-2222-4333-8444-{n:012d}"


def provider():
    return {"azurerm": {"name": "azurerm", "full_name": AZURERM, "version_constraint": "~> 4.0",
                        "expressions": {"subscription_id": {"constant_value": SUB}}}}


def role_id(guid):
    return f"{SUB_SCOPE}/providers/{AUTH}/{guid}"


BUILTIN = {
    "Owner": "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
    "Contributor": "b24988ac-6180-42a0-ab88-20f7382dd24c",
    "Reader": "acdd72a7-3385-48ef-bd42-f606fba81ae7",
    "Storage Blob Data Reader": "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
    "Key Vault Secrets User": "4633458b-17de-408a-b874-0445c86b69e6",
}


def assignment_state(name, principal, role, scope, principal_type="ServicePrincipal", role_def=None):
    guid = f"9{name.encode().hex()[:7]}-0000-4000-8000-000000000000"
    return {"condition": "", "condition_version": "", "delegated_managed_identity_resource_id": "",
            "description": "", "id": f"{scope}/providers/Microsoft.Authorization/roleAssignments/{guid}",
            "name": guid, "principal_id": principal, "principal_type": principal_type,
            "role_definition_id": role_def or role_id(BUILTIN.get(role, "0")), "role_definition_name": role,
            "scope": scope, "skip_service_principal_aad_check": None}


def planned(state, drop=("id", "name", "principal_type", "role_definition_id")):
    """The after value of a new assignment: computed attributes are unknown."""
    after = {k: v for k, v in state.items() if k not in drop}
    return after, {k: True for k in drop}


def identity_state(name, principal):
    return {"client_id": pid(900) , "id": f"{RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{name}",
            "location": "westeurope", "name": name, "principal_id": principal, "resource_group_name": "app-rg",
            "tags": {}, "tenant_id": "33333333-4444-4555-8666-777777777777"}


def assignment_config(address, principal, role, scope, key="azurerm"):
    return cres(address, {"principal_id": principal, "role_definition_name": role, "scope": scope}, key=key)


def rbac(emit):
    rcs, res = [], []

    def add(rc, principal, role, scope, role_attr="role_definition_name"):
        rcs.append(rc)
        exprs = {"principal_id": principal, role_attr: role, "scope": scope}
        res.append(cres(rc.address, exprs, key="azurerm"))

    # A new user-assigned identity with a new Contributor assignment.
    ident = identity_state("deployer", None)
    after = {k: v for k, v in ident.items() if k not in ("client_id", "id", "principal_id", "tenant_id")}
    rcs.append(RC("azurerm_user_assigned_identity.deployer", ["create"], None, after,
                  unknown={"client_id": True, "id": True, "principal_id": True, "tenant_id": True},
                  provider=AZURERM))
    res.append(cres("azurerm_user_assigned_identity.deployer", {
        "location": const("westeurope"), "name": const("deployer"), "resource_group_name": const("app-rg")},
        key="azurerm"))
    a_after, a_unknown = planned(assignment_state("deployer", None, "Contributor", RG))
    a_after.pop("principal_id")
    a_unknown["principal_id"] = True
    add(RC("azurerm_role_assignment.deployer_contributor", ["create"], None, a_after, unknown=a_unknown,
           provider=AZURERM),
        refs("azurerm_user_assigned_identity.deployer.principal_id", "azurerm_user_assigned_identity.deployer"),
        const("Contributor"), const(RG))

    # An existing identity whose Reader assignment moves from the resource group to the subscription.
    rcs.append(noop("azurerm_user_assigned_identity.ci", identity_state("ci", pid(2)), provider=AZURERM))
    res.append(cres("azurerm_user_assigned_identity.ci", {"name": const("ci")}, key="azurerm"))
    before = assignment_state("ci", pid(2), "Reader", RG)
    after, unknown = planned(assignment_state("ci", pid(2), "Reader", SUB_SCOPE))
    add(RC("azurerm_role_assignment.ci_reader", ["delete", "create"], before, after, unknown=unknown,
           provider=AZURERM, replace_paths=[["scope"]], reason="replace_because_cannot_update"),
        refs("azurerm_user_assigned_identity.ci.principal_id", "azurerm_user_assigned_identity.ci"),
        const("Reader"), const(SUB_SCOPE))

    def replaced(name, principal, role_before, role_after, scope_before=RG, scope_after=RG, reason=None):
        before = assignment_state(name, principal, role_before, scope_before, principal_type="Group")
        after, unknown = planned(assignment_state(name, principal, role_after, scope_after, principal_type="Group"))
        paths = [["role_definition_name"]] if role_before != role_after else [["scope"]]
        add(RC(f"azurerm_role_assignment.{name}", ["delete", "create"], before, after, unknown=unknown,
               provider=AZURERM, replace_paths=paths if reason is None else None,
               reason=reason or "replace_because_cannot_update"),
            const(principal), const(role_after), const(scope_after))

    replaced("ops", pid(3), "Reader", "Owner")
    replaced("former_admin", pid(4), "Owner", "Reader")
    # Tainted: the same assignment again.
    replaced("batch", pid(6), "Contributor", "Contributor", reason="replace_because_tainted")
    # Azure compares role names and scopes without case: the same grant.
    replaced("auditor", pid(7), "reader", "Reader", scope_before=f"{SUB_SCOPE}/resourcegroups/App-RG",
             scope_after=RG)

    # A deleted assignment of a principal outside the plan, and a deleted identity with its own.
    rcs.append(RC("azurerm_role_assignment.legacy", ["delete"],
                  assignment_state("legacy", pid(5), "Contributor", RG, principal_type="User"), None,
                  provider=AZURERM, reason="delete_because_no_resource_config"))
    rcs.append(RC("azurerm_user_assigned_identity.old", ["delete"], identity_state("old", pid(14)), None,
                  provider=AZURERM, reason="delete_because_no_resource_config"))
    rcs.append(RC("azurerm_role_assignment.old_reader", ["delete"],
                  assignment_state("old_reader", pid(14), "Reader", RG), None,
                  provider=AZURERM, reason="delete_because_no_resource_config"))

    # A custom role that loses a NotActions entry, assigned unchanged by its resource id.
    guid = "5f0c7d6e-1a2b-4c3d-8e9f-0a1b2c3d4e5f"
    resource_id = role_id(guid)
    perms = lambda nots: [{"actions": ["Microsoft.Compute/*"], "data_actions": [],
                           "not_actions": nots, "not_data_actions": []}]
    role_before = {"assignable_scopes": [RG], "description": "Operates VMs", "id": f"{resource_id}|{RG}",
                   "name": "VM Operator", "permissions": perms(["Microsoft.Compute/virtualMachines/delete",
                                                                 "Microsoft.Compute/virtualMachines/write"]),
                   "role_definition_id": guid, "role_definition_resource_id": resource_id, "scope": RG}
    rcs.append(update("azurerm_role_definition.operator", role_before,
                      {"permissions": perms(["Microsoft.Compute/virtualMachines/delete"])}, provider=AZURERM))
    res.append(cres("azurerm_role_definition.operator", {
        "name": const("VM Operator"), "scope": const(RG),
        "permissions": [{"actions": const(["Microsoft.Compute/*"]),
                         "not_actions": const(["Microsoft.Compute/virtualMachines/delete"])}]}, key="azurerm"))
    op = assignment_state("operator", pid(8), "VM Operator", RG, role_def=resource_id)
    rcs.append(noop("azurerm_role_assignment.operator", op, provider=AZURERM))
    res.append(cres("azurerm_role_assignment.operator", {
        "principal_id": const(pid(8)), "scope": const(RG),
        "role_definition_id": refs("azurerm_role_definition.operator.role_definition_resource_id",
                                   "azurerm_role_definition.operator")}, key="azurerm"))

    # Owner kept, a data role added: Owner's `*` is control plane only.
    rcs.append(noop("azurerm_role_assignment.analyst_owner",
                    assignment_state("analyst_owner", pid(9), "Owner", SUB_SCOPE, principal_type="User"),
                    provider=AZURERM))
    res.append(assignment_config("azurerm_role_assignment.analyst_owner", const(pid(9)), const("Owner"),
                                 const(SUB_SCOPE)))
    account = f"{RG}/providers/Microsoft.Storage/storageAccounts/acmedata"
    after, unknown = planned(assignment_state("analyst_blobs", pid(9), "Storage Blob Data Reader", account,
                                              principal_type="User"))
    add(RC("azurerm_role_assignment.analyst_blobs", ["create"], None, after, unknown=unknown, provider=AZURERM),
        const(pid(9)), const("Storage Blob Data Reader"), const(account))

    # A role by a definition id no table has.
    vendor_role = role_id("7d2f4b1c-0000-4aaa-8bbb-123456789abc")
    st = assignment_state("vendor", pid(10), "", RG, role_def=vendor_role)
    after, unknown = planned(st, drop=("id", "name", "principal_type", "role_definition_name"))
    add(RC("azurerm_role_assignment.vendor", ["create"], None, after, unknown=unknown, provider=AZURERM),
        const(pid(10)), const(vendor_role), const(RG), role_attr="role_definition_id")

    # A web app's system-assigned identity reads secrets.
    app = {"id": f"{RG}/providers/Microsoft.Web/sites/api", "identity": [
        {"identity_ids": [], "principal_id": pid(12), "tenant_id": "33333333-4444-4555-8666-777777777777",
         "type": "SystemAssigned"}], "location": "westeurope", "name": "api", "resource_group_name": "app-rg"}
    rcs.append(noop("azurerm_linux_web_app.api", app, provider=AZURERM))
    res.append(cres("azurerm_linux_web_app.api", {"name": const("api")}, key="azurerm"))
    vault = f"{RG}/providers/Microsoft.KeyVault/vaults/acme-kv"
    after, unknown = planned(assignment_state("api_secrets", pid(12), "Key Vault Secrets User", vault))
    add(RC("azurerm_role_assignment.api_secrets", ["create"], None, after, unknown=unknown, provider=AZURERM),
        refs("azurerm_linux_web_app.api.identity[0].principal_id", "azurerm_linux_web_app.api.identity[0]",
             "azurerm_linux_web_app.api.identity", "azurerm_linux_web_app.api"),
        const("Key Vault Secrets User"), const(vault))

    # A principal from another provider, known only after apply.
    after, unknown = planned(assignment_state("external", None, "Reader", RG))
    after.pop("principal_id")
    unknown["principal_id"] = True
    add(RC("azurerm_role_assignment.external", ["create"], None, after, unknown=unknown, provider=AZURERM),
        refs("azuread_service_principal.partner.object_id", "azuread_service_principal.partner"),
        const("Reader"), const(RG))

    p = plan(rcs, config(res, provider=provider()), timestamp="2025-06-15T10:00:00Z")
    emit("azure-rbac.json", p, [
        ("azurerm_user_assigned_identity.deployer", "created"),
        ("azurerm_user_assigned_identity.ci", "widened"),
        (f"principal:{pid(3)}", "widened"),
        (f"principal:{pid(4)}", "narrowed"),
        (f"principal:{pid(5)}", "narrowed"),
        ("azurerm_user_assigned_identity.old", "deleted"),
        (f"principal:{pid(6)}", "unchanged"),
        (f"principal:{pid(7)}", "unchanged"),
        (f"principal:{pid(8)}", "widened"),
        (f"principal:{pid(9)}", "widened"),
        (f"principal:{pid(10)}", "unverifiable"),
        ("azurerm_linux_web_app.api", "widened"),
        ("(principal of azurerm_role_assignment.external known after apply)", "widened"),
    ])


def management_groups(emit):
    rcs, res = [], []
    mg = "/providers/Microsoft.Management/managementGroups/platform"
    sandbox = "/providers/Microsoft.Management/managementGroups/sandbox"
    rcs.append(noop("azurerm_management_group.platform", {
        "display_name": "Platform", "id": mg, "name": "platform",
        "parent_management_group_id": "/providers/Microsoft.Management/managementGroups/root",
        "subscription_ids": [SUB]}, provider=AZURERM))
    res.append(cres("azurerm_management_group.platform", {"display_name": const("Platform"),
                                                          "subscription_ids": const([SUB])}, key="azurerm"))
    apps = "/providers/Microsoft.Management/managementGroups/apps"
    sub2 = "00000000-aaaa-4bbb-8ccc-000000000002"
    rcs.append(noop("azurerm_management_group.apps", {
        "display_name": "Apps", "id": apps, "name": "apps", "parent_management_group_id": mg,
        "subscription_ids": []}, provider=AZURERM))
    res.append(cres("azurerm_management_group.apps", {
        "display_name": const("Apps"),
        "parent_management_group_id": refs("azurerm_management_group.platform.id",
                                           "azurerm_management_group.platform")}, key="azurerm"))
    rcs.append(noop("azurerm_management_group_subscription_association.apps_sub2", {
        "id": f"{apps}/subscriptions/{sub2}", "management_group_id": apps,
        "subscription_id": f"/subscriptions/{sub2}"}, provider=AZURERM))
    res.append(cres("azurerm_management_group_subscription_association.apps_sub2", {
        "management_group_id": refs("azurerm_management_group.apps.id", "azurerm_management_group.apps"),
        "subscription_id": const(f"/subscriptions/{sub2}")}, key="azurerm"))
    for name, n, scope_before, scope_after in [("up", 11, SUB_SCOPE, mg), ("down", 12, mg, SUB_SCOPE),
                                               ("sandbox", 13, SUB_SCOPE, sandbox),
                                               ("nested", 15, mg, f"/subscriptions/{sub2}")]:
        before = assignment_state(name, pid(n), "Reader", scope_before, principal_type="Group")
        after, unknown = planned(assignment_state(name, pid(n), "Reader", scope_after, principal_type="Group"))
        rcs.append(RC(f"azurerm_role_assignment.{name}", ["delete", "create"], before, after, unknown=unknown,
                      provider=AZURERM, replace_paths=[["scope"]], reason="replace_because_cannot_update"))
        res.append(assignment_config(f"azurerm_role_assignment.{name}", const(pid(n)), const("Reader"),
                                     const(scope_after)))
    p = plan(rcs, config(res, provider=provider()), timestamp="2025-06-15T11:00:00Z")
    emit("azure-management-group.json", p, [
        (f"principal:{pid(11)}", "widened"),
        (f"principal:{pid(12)}", "narrowed"),
        (f"principal:{pid(13)}", "widened"),
        (f"principal:{pid(15)}", "narrowed"),
    ])


def generate(emit):
    rbac(emit)
    management_groups(emit)
