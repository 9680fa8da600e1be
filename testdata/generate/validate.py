import json, sys, glob, os
POLICY_KEYS = {"policy", "assume_role_policy", "json", "minified_json", "access_policy", "access_policies",
               "policy_document"}
errs = []
def walk(v, path, f):
    if isinstance(v, dict):
        for k, x in v.items():
            # "" is what the provider stores for a computed policy that is not set (a bucket or
            # queue without a policy).
            if k in POLICY_KEYS and isinstance(x, str) and x != "":
                try:
                    d = json.loads(x)
                    assert isinstance(d, dict) and "Statement" in d, "no Statement"
                except Exception as e:
                    errs.append(f"{f}: {path}.{k}: {e}")
            walk(x, f"{path}.{k}", f)
    elif isinstance(v, list):
        for i, x in enumerate(v):
            walk(x, f"{path}[{i}]", f)

def res_iter(mod):
    for r in mod.get("resources", []):
        yield r
    for c in mod.get("child_modules", []):
        yield from res_iter(c)

for f in sorted(glob.glob(sys.argv[1] + "/*.json")):
    p = json.load(open(f))
    walk(p, "$", os.path.basename(f))
    rcs = p.get("resource_changes", [])
    addrs = [r["address"] for r in rcs]
    if addrs != sorted(addrs):
        errs.append(f"{f}: resource_changes not sorted")
    pv = {r["address"]: r for r in res_iter(p["planned_values"]["root_module"])}
    for r in rcs:
        a = r["change"]["after"]
        if r["change"]["actions"] == ["delete"]:
            if r["address"] in pv: errs.append(f"{f}: deleted {r['address']} in planned_values")
            continue
        if pv.get(r["address"], {}).get("values") != a:
            errs.append(f"{f}: planned_values mismatch for {r['address']}")
        # unknown leaves must be absent from after
        for k, u in r["change"]["after_unknown"].items():
            if u is True and k in a:
                errs.append(f"{f}: {r['address']}.{k} unknown but present")
    ps = p.get("prior_state")
    if ps:
        st = {r["address"]: r for r in res_iter(ps["values"]["root_module"])}
        for r in rcs:
            b = r["change"]["before"]
            if b is not None and r["mode"] == "managed" and st.get(r["address"], {}).get("values") != b:
                errs.append(f"{f}: prior_state mismatch for {r['address']}")
print("\n".join(errs) or "all good")
