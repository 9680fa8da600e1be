import json, os, sys, zipfile, copy, base64
OUT = sys.argv[1]
os.makedirs(OUT, exist_ok=True)
PLANS = sys.argv[2]
rows = []

def w(name, data, sub):
    mode = "wb" if isinstance(data, bytes) else "w"
    with open(os.path.join(OUT, name), mode) as f:
        f.write(data)
    rows.append((name, sub))

good = json.load(open(os.path.join(PLANS, "ci-role-widened.json")))
good_text = open(os.path.join(PLANS, "ci-role-widened.json")).read()
role_before = copy.deepcopy(good["resource_changes"][0]["change"]["before"])
role_before["tags"] = role_before["tags_all"] = {"managed-by": "terraform", "team": "platform"}

# saved plan: a ZIP the way `terraform plan -out` writes it
state = {"version": 4, "terraform_version": "1.9.5", "serial": 42, "lineage": "3f1c2a9e-7b64-4d0e-9a51-0c8e2f6b7d13",
         "outputs": {}, "resources": [], "check_results": None}
zp = os.path.join(OUT, "saved-plan.zip")


def entry(name):
    """A zip entry with a fixed time and mode, so the zip is the same bytes on every run (`.ci/run`
    regenerates testdata/ and fails on any difference). The time is the one the committed fixture
    was first written with; 0o600 and Unix as the creating system are what `writestr` gave it."""
    info = zipfile.ZipInfo(name, date_time=(2026, 11, 29, 8, 48, 44))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3
    info.external_attr = 0o600 << 16
    return info


with zipfile.ZipFile(zp, "w", zipfile.ZIP_DEFLATED) as z:
    # tfplan is protobuf; these bytes start like one (field 1 varint = plan format version 3).
    z.writestr(entry("tfplan"), bytes([0x08, 0x03, 0x12, 0x05]) + b"1.9.5" + bytes([0x1a, 0x02, 0x08, 0x01]))
    z.writestr(entry("tfstate"), json.dumps(state, indent=2))
    z.writestr(entry("tfstate-prev"), json.dumps(state, indent=2))
    z.writestr(entry("tfconfig/modules.json"), json.dumps({"Modules": [{"Key": "", "Source": "", "Dir": "."}]}))
    z.writestr(entry("tfconfig/m-/main.tf"), 'resource "aws_iam_role" "ci" {\n  name = "ci-deploy"\n}\n')
rows.append(("saved-plan.zip", "terraform show -json"))

# terraform show -json of a state
show_state = {"format_version": "1.0", "terraform_version": "1.9.5", "values": {"root_module": {"resources": [{
    "address": "aws_iam_role.ci", "mode": "managed", "type": "aws_iam_role", "name": "ci",
    "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0, "values": role_before,
    "sensitive_values": {"inline_policy": [], "managed_policy_arns": [], "tags": {}, "tags_all": {}}}]}}}
w("state.json", json.dumps(show_state, indent=2) + "\n", "state")

raw = {"version": 4, "terraform_version": "1.9.5", "serial": 17, "lineage": "3f1c2a9e-7b64-4d0e-9a51-0c8e2f6b7d13",
       "outputs": {}, "resources": [{
           "mode": "managed", "type": "aws_iam_role", "name": "ci",
           "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]",
           "instances": [{"schema_version": 0, "attributes": role_before, "sensitive_attributes": [],
                          "private": "bnVsbA=="}]}],
       "check_results": None}
w("raw-state.tfstate", json.dumps(raw, indent=2) + "\n", "state")

stream = [
    {"@level": "info", "@message": "Terraform 1.9.5", "@module": "terraform.ui", "@timestamp": "2025-06-12T09:41:20.123456Z",
     "terraform": "1.9.5", "type": "version", "ui": "1.2"},
    {"@level": "info", "@message": "aws_iam_role.ci: Refreshing state... [id=ci-deploy]", "@module": "terraform.ui",
     "@timestamp": "2025-06-12T09:41:22.512345Z", "hook": {"resource": {"addr": "aws_iam_role.ci", "module": "",
     "resource": "aws_iam_role.ci", "implied_provider": "aws", "resource_type": "aws_iam_role", "resource_name": "ci",
     "resource_key": None}, "id_key": "id", "id_value": "ci-deploy"}, "type": "refresh_start"},
    {"@level": "info", "@message": "aws_iam_role_policy.ci_artifacts: Plan to update", "@module": "terraform.ui",
     "@timestamp": "2025-06-12T09:41:26.901234Z", "change": {"resource": {"addr": "aws_iam_role_policy.ci_artifacts",
     "module": "", "resource": "aws_iam_role_policy.ci_artifacts", "implied_provider": "aws",
     "resource_type": "aws_iam_role_policy", "resource_name": "ci_artifacts", "resource_key": None},
     "action": "update"}, "type": "planned_change"},
    {"@level": "info", "@message": "Plan: 0 to add, 2 to change, 0 to destroy.", "@module": "terraform.ui",
     "@timestamp": "2025-06-12T09:41:27.000000Z", "changes": {"add": 0, "change": 2, "import": 0, "remove": 0,
     "operation": "plan"}, "type": "change_summary"},
]
w("plan-stream.ndjson", "".join(json.dumps(l, separators=(",", ":")) + "\n" for l in stream), "stream")

enc = {"meta": {"key_provider.pbkdf2.main": base64.b64encode(json.dumps(
    {"salt": "q7Pk3vJ1m9XyZ0a4b8c2dA==", "iterations": 600000, "hash_function": "sha512", "key_length": 32}).encode()).decode()},
    "encrypted_data": base64.b64encode(os.urandom(0) + bytes(range(256)) * 3).decode(),
    "encryption_version": "v0"}
w("tofu-encrypted.json", json.dumps(enc), "encrypted")

w("hcp-bookmark.json", json.dumps({"remote_plan_format": 1, "run_id": "run-abc", "hostname": "app.terraform.io"}) + "\n",
  "HCP")

w("empty.json", "", "empty")

w("truncated.json", good_text[: len(good_text) // 2], "line")

f2 = copy.deepcopy(good)
f2["format_version"] = "2.0"
w("format-2.json", json.dumps(f2, indent=2) + "\n", "format_version")

pn = copy.deepcopy(good)
for r in pn["resource_changes"]:
    if r["address"] == "aws_iam_role_policy.ci_artifacts":
        r["change"]["after"]["policy"] = 42
for r in pn["planned_values"]["root_module"]["resources"]:
    if r["address"] == "aws_iam_role_policy.ci_artifacts":
        r["values"]["policy"] = 42
w("policy-number.json", json.dumps(pn, indent=2) + "\n", "policy")

ao = copy.deepcopy(good)
bad_policy = json.dumps({"Statement": [{"Action": {"s3": "GetObject"}, "Effect": "Allow",
                                         "Resource": "arn:aws:s3:::acme-artifacts/*"}], "Version": "2012-10-17"},
                        separators=(",", ":"), sort_keys=True)
for r in ao["resource_changes"]:
    if r["address"] == "aws_iam_role_policy.ci_artifacts":
        r["change"]["after"]["policy"] = bad_policy
for r in ao["planned_values"]["root_module"]["resources"]:
    if r["address"] == "aws_iam_role_policy.ci_artifacts":
        r["values"]["policy"] = bad_policy
w("actions-object.json", json.dumps(ao, indent=2) + "\n", "policy")

w("not-json.txt", '''resource "aws_iam_role" "ci" {
  name               = "ci-deploy"
  assume_role_policy = data.aws_iam_policy_document.github_trust.json
}

resource "aws_iam_role_policy" "ci_artifacts" {
  name   = "ci-artifacts"
  role   = aws_iam_role.ci.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:Get*", Resource = "arn:aws:s3:::acme-artifacts/*" }]
  })
}
''', "json")

with open(os.path.join(OUT, "EXPECTED.tsv"), "w") as f:
    f.write("file\tmessage_substring\n")
    for r in sorted(rows):
        f.write("\t".join(r) + "\n")
print(len(rows))
