"""Helpers that build plan JSON the way `terraform show -json` lays it out."""
import json, copy

ACCT = "111122223333"
AWS = "registry.terraform.io/hashicorp/aws"
TOFU_AWS = "registry.opentofu.org/hashicorp/aws"
V = "2012-10-17"


def go_escape(s):
    # encoding/json escapes <, > and & (HTML-safe) in every string it writes.
    return s.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def jsonencode(doc):
    """Terraform jsonencode(): compact, object keys sorted, HTML-escaped."""
    return go_escape(json.dumps(doc, separators=(",", ":"), sort_keys=True, ensure_ascii=False))


normalized = jsonencode  # provider NormalizeJsonString: json.Marshal of a map -> same shape


def heredoc(doc, indent=2):
    """A policy written as a heredoc in HCL (kept verbatim): key order as written."""
    return json.dumps(doc, indent=indent, ensure_ascii=False) + "\n"


def sort_obj(v):
    """cty objects/maps are rendered with sorted keys."""
    if isinstance(v, dict):
        return {k: sort_obj(v[k]) for k in sorted(v)}
    if isinstance(v, list):
        return [sort_obj(x) for x in v]
    return v


def as_bool(v):
    """jsonplan unknownAsBool/SensitiveAsBool for a fully known, unmarked value."""
    if isinstance(v, dict):
        out = {}
        for k in sorted(v):
            b = as_bool(v[k])
            if b is not False:
                out[k] = b
        return out
    if isinstance(v, list):
        return [as_bool(x) for x in v]
    return False


def overlay(base, marks):
    """Put `true` (or nested structures) from marks over base."""
    if marks is None:
        return base
    if marks is True:
        return True
    if isinstance(marks, dict):
        out = dict(base) if isinstance(base, dict) else {}
        for k, m in marks.items():
            out[k] = overlay(out.get(k, {} if isinstance(m, dict) else False), m)
        return {k: out[k] for k in sorted(out)}
    if isinstance(marks, list):
        base = base if isinstance(base, list) else []
        return [overlay(base[i] if i < len(base) else False, m) for i, m in enumerate(marks)]
    return base


class RC:
    def __init__(self, address, actions, before, after, *, mode="managed", typ=None, name=None,
                 module=None, index=None, unknown=None, before_sens=None, after_sens=None,
                 reason=None, replace_paths=None, provider=AWS, schema_version=0, depends_on=None):
        self.address = address
        self.actions = actions
        self.before = sort_obj(before) if before is not None else None
        self.after = sort_obj(after) if after is not None else None
        self.mode = mode
        local = address
        if module:
            assert address.startswith(module + ".")
            local = address[len(module) + 1:]
        if local.startswith("data."):
            local = local[5:]
        base = local.split("[")[0]
        self.type = typ or base.split(".")[0]
        self.name = name or base.split(".")[1]
        self.module = module
        self.index = index
        self.unknown = unknown
        self.before_sens = before_sens
        self.after_sens = after_sens
        self.reason = reason
        self.replace_paths = replace_paths
        self.provider = provider
        self.schema_version = schema_version
        self.depends_on = depends_on

    def after_unknown(self):
        if self.after is None:
            return {}
        return overlay(as_bool(self.after), self.unknown)

    def before_sensitive(self):
        if self.before is None:
            return False
        return overlay(as_bool(self.before), self.before_sens)

    def after_sensitive(self):
        if self.after is None:
            return False
        return overlay(as_bool(self.after), self.after_sens)

    def head(self):
        h = {"address": self.address}
        if self.module:
            h["module_address"] = self.module
        h["mode"] = self.mode
        h["type"] = self.type
        h["name"] = self.name
        if self.index is not None:
            h["index"] = self.index
        h["provider_name"] = self.provider
        return h

    def change_entry(self, legacy=False):
        e = self.head()
        c = {"actions": self.actions, "before": self.before, "after": self.after,
             "after_unknown": self.after_unknown()}
        if not legacy:
            c["before_sensitive"] = self.before_sensitive()
            c["after_sensitive"] = self.after_sensitive()
        if self.replace_paths:
            c["replace_paths"] = self.replace_paths
        e["change"] = c
        if self.reason:
            e["action_reason"] = self.reason
        return e

    def value_entry(self, values, sens, legacy=False):
        e = self.head()
        e.pop("module_address", None)  # values representations carry no module_address
        e["schema_version"] = self.schema_version
        e["values"] = values
        if not legacy:
            e["sensitive_values"] = sens
        if self.depends_on:
            e["depends_on"] = self.depends_on
        return e


def nest(entries_with_module):
    """Build {resources, child_modules} from (module_address, entry) pairs (one level deep)."""
    root = {"resources": []}
    children = {}
    for mod, e in entries_with_module:
        if mod is None:
            root["resources"].append(e)
        else:
            children.setdefault(mod, []).append(e)
    if not root["resources"]:
        del root["resources"]
    if children:
        root["child_modules"] = [{"resources": sorted(v, key=lambda e: e["address"]), "address": k}
                                 for k, v in sorted(children.items())]
    if "resources" in root:
        root["resources"].sort(key=lambda e: e["address"])
    return root


def plan(rcs, configuration, *, tf="1.9.5", fv="1.2", variables=None, prior_data=(), timestamp=None,
         tofu=False, legacy=False, output_changes=None, outputs=None, state_fv="1.0"):
    rcs = sorted(rcs, key=lambda r: r.address)
    p = {"format_version": fv, "terraform_version": tf}
    if variables:
        p["variables"] = {k: {"value": v} for k, v in sorted(variables.items())}
    pv = []
    for r in rcs:
        if r.after is None or r.actions == ["delete"]:
            continue
        pv.append((r.module, r.value_entry(r.after, r.after_sensitive(), legacy)))
    planned = {}
    if outputs:
        planned["outputs"] = outputs
    planned["root_module"] = nest(pv)
    p["planned_values"] = planned
    p["resource_changes"] = [r.change_entry(legacy) for r in rcs]
    if output_changes:
        p["output_changes"] = output_changes
    ps = []
    for r in rcs:
        if r.before is None or r.mode == "data":
            continue
        ps.append((r.module, r.value_entry(r.before, r.before_sensitive(), legacy)))
    for d in prior_data:
        ps.append((d.module, d.value_entry(d.before, d.before_sensitive(), legacy)))
    if ps:
        p["prior_state"] = {"format_version": state_fv, "terraform_version": tf,
                            "values": {"root_module": nest(ps)}}
    p["configuration"] = configuration
    if not legacy:
        if timestamp:
            p["timestamp"] = timestamp
        if not tofu:
            p["applyable"] = True
            p["complete"] = True
        p["errored"] = False
    return p


def provider_config(full_name=AWS, region="eu-west-1", version="~> 5.0", legacy=False):
    c = {"name": "aws"}
    if not legacy:
        c["full_name"] = full_name
    c["version_constraint"] = version
    c["expressions"] = {"region": {"constant_value": region}}
    return {"aws": c}


def cres(address, expressions, *, mode="managed", count=None, for_each=None, depends_on=None, key="aws"):
    local = address[5:] if address.startswith("data.") else address
    typ, name = local.split(".")
    r = {"address": address, "mode": mode, "type": typ, "name": name, "provider_config_key": key,
         "expressions": expressions, "schema_version": 0}
    if count is not None:
        r["count_expression"] = count
    if for_each is not None:
        r["for_each_expression"] = for_each
    if depends_on:
        r["depends_on"] = depends_on
    return r


def const(v):
    return {"constant_value": v}


def refs(*r):
    return {"references": list(r)}


def ref_attr(addr, attr):
    """`aws_iam_role.x.name` -> references [x.name, x] (+ unkeyed resource when indexed)."""
    out = [f"{addr}.{attr}", addr]
    if "[" in addr:
        out.append(addr.split("[")[0])
    return {"references": out}


def config(resources, module_calls=None, provider=None, variables=None, outputs=None):
    root = {}
    if outputs:
        root["outputs"] = outputs
    root["resources"] = sorted(resources, key=lambda r: (r["mode"] != "managed", r["address"]))
    if module_calls:
        root["module_calls"] = module_calls
    if variables:
        root["variables"] = variables
    return {"provider_config": provider or provider_config(), "root_module": root}


# ---------- AWS resource value helpers (AWS provider 5.x attribute sets) ----------

def doc(*statements, version=True):
    d = {}
    if version:
        d["Version"] = V
    d["Statement"] = list(statements)
    return d


def stmt(actions, resources, effect="Allow", sid=None, condition=None, not_action=False, principal=None):
    s = {}
    if sid:
        s["Sid"] = sid
    s["Effect"] = effect
    if principal is not None:
        s["Principal"] = principal
    s["NotAction" if not_action else "Action"] = actions
    if resources is not None:
        s["Resource"] = resources
    if condition:
        s["Condition"] = condition
    return s


def trust(principal, action="sts:AssumeRole", condition=None):
    s = {"Effect": "Allow", "Principal": principal, "Action": action}
    if condition:
        s["Condition"] = condition
    return doc(s)


def role_state(name, assume, *, path="/", description=None, inline=(), managed=(), boundary=None,
               tags=None, unique_id, created="2024-03-11T09:12:44Z", max_session=3600):
    tags = tags if tags is not None else {}
    return {
        "arn": f"arn:aws:iam::{ACCT}:role{path}{name}",
        "assume_role_policy": assume,
        "create_date": created,
        "description": description if description is not None else "",
        "force_detach_policies": False,
        "id": name,
        "inline_policy": [{"name": n, "policy": p} for n, p in inline],
        "managed_policy_arns": sorted(managed),
        "max_session_duration": max_session,
        "name": name,
        "name_prefix": "",
        "path": path,
        "permissions_boundary": boundary,
        "tags": tags or None,
        "tags_all": tags,
        "unique_id": unique_id,
    }


def role_create(name, assume, *, path="/", description=None, inline=None, managed=None, boundary=None,
                tags=None):
    """after + unknown marks for a role being created."""
    after = {
        "assume_role_policy": assume,
        "description": description,
        "force_detach_policies": False,
        "max_session_duration": 3600,
        "name": name,
        "path": path,
        "permissions_boundary": boundary,
        "tags": tags,
    }
    unknown = {"arn": True, "create_date": True, "id": True, "name_prefix": True, "unique_id": True}
    if inline is not None:
        after["inline_policy"] = [{"name": n, "policy": p} for n, p in inline]
    else:
        unknown["inline_policy"] = True
    if managed is not None:
        after["managed_policy_arns"] = sorted(managed)
    else:
        unknown["managed_policy_arns"] = True
    if tags:
        after["tags_all"] = tags
    else:
        unknown["tags_all"] = True
    return after, unknown


def role_policy_state(role, name, policy):
    return {"id": f"{role}:{name}", "name": name, "name_prefix": None, "policy": policy, "role": role}


def attachment_state(role, arn, id_suffix):
    return {"id": f"{role}-{id_suffix}", "policy_arn": arn, "role": role}


def policy_state(name, policy, *, path="/", description="", policy_id, tags=None, attachments=1):
    tags = tags or {}
    return {
        "arn": f"arn:aws:iam::{ACCT}:policy{path}{name}",
        "attachment_count": attachments,
        "description": description,
        "id": f"arn:aws:iam::{ACCT}:policy{path}{name}",
        "name": name,
        "name_prefix": "",
        "path": path,
        "policy": policy,
        "policy_id": policy_id,
        "tags": tags or None,
        "tags_all": tags,
    }


def user_state(name, unique_id, path="/", tags=None):
    tags = tags or {}
    return {
        "arn": f"arn:aws:iam::{ACCT}:user{path}{name}",
        "force_destroy": False,
        "id": name,
        "name": name,
        "path": path,
        "permissions_boundary": None,
        "tags": tags or None,
        "tags_all": tags,
        "unique_id": unique_id,
    }


def group_state(name, unique_id, path="/"):
    return {"arn": f"arn:aws:iam::{ACCT}:group{path}{name}", "id": name, "name": name, "path": path,
            "unique_id": unique_id}


def noop(address, state, **kw):
    return RC(address, ["no-op"], state, copy.deepcopy(state), **kw)


def update(address, before, changes, **kw):
    after = copy.deepcopy(before)
    for k, v in changes.items():
        if v is DROP:
            after.pop(k, None)
        else:
            after[k] = v
    return RC(address, ["update"], before, after, **kw)


DROP = object()


def write(path, p, compact=False):
    if compact:
        text = json.dumps(p, separators=(",", ":"), ensure_ascii=False)
    else:
        text = json.dumps(p, indent=2, ensure_ascii=False)
    text = go_escape(text)  # the outer json.Marshal is HTML-safe too
    with open(path, "w") as f:
        f.write(text + "\n")
