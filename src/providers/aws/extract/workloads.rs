//! Which of the plan's workloads run as which role: a Lambda function's `role`, an EC2
//! instance through its instance profile, an ECS task definition's task and execution roles, a
//! Kubernetes service account annotated for IRSA, an EKS pod identity association. A widening
//! of a role widens every workload that runs with it, and a role many workloads share is the
//! catch-all a compromise of any one of them inherits.

use super::{SideReader, ROLE};
use crate::model::usage::{add, Workload, Workloads};
use crate::plan::side::{Obj, Step};
use serde_json::Value;

/// How a workload names its role: by ARN or by name.
#[derive(Clone, Copy)]
enum By {
    Arn,
    Name,
}

/// A workload type that names its role directly: its type, the attribute naming the role, what
/// the workload is called, the attribute holding its name, and what the role is to it.
struct Direct {
    kind: &'static str,
    attr: &'static str,
    by: By,
    noun: &'static str,
    name: &'static str,
    role: Option<&'static str>,
}

const fn direct(
    kind: &'static str,
    attr: &'static str,
    noun: &'static str,
    name: &'static str,
) -> Direct {
    Direct {
        kind,
        attr,
        by: By::Arn,
        noun,
        name,
        role: None,
    }
}

const DIRECT: &[Direct] = &[
    direct(
        "aws_lambda_function",
        "role",
        "Lambda function",
        "function_name",
    ),
    Direct {
        role: Some("task role"),
        ..direct(
            "aws_ecs_task_definition",
            "task_role_arn",
            "ECS task definition",
            "family",
        )
    },
    Direct {
        role: Some("execution role"),
        ..direct(
            "aws_ecs_task_definition",
            "execution_role_arn",
            "ECS task definition",
            "family",
        )
    },
    direct(
        "aws_codebuild_project",
        "service_role",
        "CodeBuild project",
        "name",
    ),
    direct("aws_glue_job", "role_arn", "Glue job", "name"),
    direct(
        "aws_sfn_state_machine",
        "role_arn",
        "Step Functions state machine",
        "name",
    ),
    direct("aws_eks_cluster", "role_arn", "EKS cluster", "name"),
    direct(
        "aws_eks_node_group",
        "node_role_arn",
        "EKS node group",
        "node_group_name",
    ),
    direct(
        "aws_sagemaker_notebook_instance",
        "role_arn",
        "SageMaker notebook instance",
        "name",
    ),
    direct(
        "aws_cloudformation_stack",
        "iam_role_arn",
        "CloudFormation stack",
        "name",
    ),
    direct(
        "aws_batch_job_definition",
        "execution_role_arn",
        "Batch job definition",
        "name",
    ),
    direct(
        "aws_scheduler_schedule",
        "role_arn",
        "EventBridge schedule",
        "name",
    ),
    direct("aws_pipes_pipe", "role_arn", "EventBridge pipe", "name"),
];

pub const PROFILE: &str = "aws_iam_instance_profile";
const INSTANCE: &str = "aws_instance";
const LAUNCH_TEMPLATE: &str = "aws_launch_template";
const POD_IDENTITY: &str = "aws_eks_pod_identity_association";
/// Kubernetes service accounts, whose IRSA annotation names a role.
const SERVICE_ACCOUNTS: &[&str] = &[
    "kubernetes_service_account",
    "kubernetes_service_account_v1",
];
const IRSA: &str = "eks.amazonaws.com/role-arn";

/// Types outside AWS this reader needs in the AWS extractor's world.
pub fn read(kind: &str) -> bool {
    SERVICE_ACCOUNTS.contains(&kind)
}

impl SideReader<'_, '_> {
    /// Each workload of this side and the roles it runs as.
    pub fn workloads(&self, out: &mut Workloads) {
        for o in self.world.objs.iter().filter(|o| !o.data) {
            for d in DIRECT.iter().filter(|d| d.kind == o.kind) {
                let w = workload(o, d.noun, d.name, d.role.map(str::to_string));
                for role in self.roles(o, &[Step::Key(d.attr)], d.by) {
                    add(out, &role, w.clone());
                }
            }
            match o.kind {
                INSTANCE => self.through_profile(o, &[Step::Key("iam_instance_profile")], out),
                LAUNCH_TEMPLATE => {
                    for attr in ["name", "arn"] {
                        let path = [
                            Step::Key("iam_instance_profile"),
                            Step::Index(0),
                            Step::Key(attr),
                        ];
                        self.through_profile(o, &path, out);
                    }
                }
                POD_IDENTITY => {
                    let name = match (shown(o, "namespace"), shown(o, "service_account")) {
                        (Some(ns), Some(sa)) => format!("{ns}/{sa}"),
                        _ => o.address.to_string(),
                    };
                    let w = Workload {
                        kind: "EKS pod identity",
                        name,
                        address: o.address.to_string(),
                        via: None,
                    };
                    for role in self.roles(o, &[Step::Key("role_arn")], By::Arn) {
                        add(out, &role, w.clone());
                    }
                }
                kind if SERVICE_ACCOUNTS.contains(&kind) => self.irsa(o, out),
                _ => {}
            }
        }
    }

    /// The roles the value at `path` of `o` names: one of the plan's roles by ARN or name, a
    /// role outside the plan by its name, or, when the value is known only after apply, the
    /// roles the configuration's expression refers to.
    fn roles(&self, o: &Obj, path: &[Step], by: By) -> Vec<String> {
        match o.get(path) {
            Some(Value::String(v)) if !v.is_empty() => {
                self.role_named(&v, by).into_iter().collect()
            }
            None if o.is_unknown(path) => {
                let Some(Step::Key(attr)) = path.first() else {
                    return Vec::new();
                };
                self.referenced(o, attr, ROLE)
                    .into_iter()
                    .map(|r| r.address.to_string())
                    .collect()
            }
            _ => Vec::new(),
        }
    }

    /// The plan's objects of type `kind` that the expression of `attr` (or anything nested in
    /// it) refers to.
    fn referenced(&self, o: &Obj, attr: &str, kind: &str) -> Vec<&Obj<'_>> {
        let Some(config) = self.config else {
            return Vec::new();
        };
        let prefix = format!("{kind}.");
        config
            .targets_within(o.address, attr)
            .iter()
            .filter(|t| t.local.starts_with(&prefix))
            .flat_map(|t| self.resolve_all(t))
            .filter(|r| !r.data)
            .collect()
    }

    /// The role a value names: the plan's role with that ARN, else the one with the name the
    /// value ends in, else a role outside the plan (keyed as grants to it are).
    fn role_named(&self, value: &str, by: By) -> Option<String> {
        let name = match by {
            By::Arn if value.starts_with("arn:") => {
                if let Some(&i) = self.idx.role_by_arn.get(value) {
                    return Some(self.world.objs[i].address.to_string());
                }
                // `arn:aws:iam::1:role/path/name`: the name is the last part.
                let (_, resource) = value.rsplit_once(":role/")?;
                resource.rsplit('/').next()?
            }
            _ => value,
        };
        match self.idx.identity_by_name.get(&(ROLE, name.to_string())) {
            Some(&i) => Some(self.world.objs[i].address.to_string()),
            None => Some(format!("external:{ROLE}/{name}")),
        }
    }

    /// An EC2 workload: the roles of the instance profile at `path` of `o`.
    fn through_profile(&self, o: &Obj, path: &[Step], out: &mut Workloads) {
        let profiles: Vec<&Obj> = match o.get(path) {
            Some(Value::String(v)) if !v.is_empty() => self
                .idx
                .profile_by
                .get(&v)
                .map(|&i| &self.world.objs[i])
                .into_iter()
                .collect(),
            None if o.is_unknown(path) => match path.first() {
                Some(Step::Key(attr)) => self.referenced(o, attr, PROFILE),
                _ => Vec::new(),
            },
            _ => Vec::new(),
        };
        let noun = match o.kind {
            INSTANCE => "EC2 instance",
            _ => "EC2 launch template",
        };
        for p in profiles {
            let label = shown(p, "name").unwrap_or_else(|| p.address.to_string());
            let mut w = workload(o, noun, "name", Some(format!("instance profile {label}")));
            // An instance's name is its `Name` tag; the address says it otherwise.
            if o.kind == INSTANCE {
                w.name = name_tag(o).unwrap_or_else(|| o.address.to_string());
            }
            for role in self.roles(p, &[Step::Key("role")], By::Name) {
                add(out, &role, w.clone());
            }
        }
    }

    /// A Kubernetes service account whose IRSA annotation names a role.
    fn irsa(&self, o: &Obj, out: &mut Workloads) {
        let meta = [Step::Key("metadata"), Step::Index(0)];
        let at = |k: &'static str| [meta[0], meta[1], Step::Key(k)];
        let annotation = [meta[0], meta[1], Step::Key("annotations"), Step::Key(IRSA)];
        let text = |k: &'static str| match o.get(&at(k)) {
            Some(Value::String(v)) if !v.is_empty() && !o.is_sensitive(&at(k)) => Some(v),
            _ => None,
        };
        let unset = |k: &'static str| o.get(&at(k)).is_none() && !o.is_unknown(&at(k));
        let name = match (text("namespace"), text("name")) {
            (Some(ns), Some(n)) => format!("{ns}/{n}"),
            (None, Some(n)) if unset("namespace") => format!("default/{n}"),
            _ => o.address.to_string(),
        };
        let w = Workload {
            kind: "Kubernetes service account (IRSA)",
            name,
            address: o.address.to_string(),
            via: None,
        };
        let roles = match o.get(&annotation) {
            Some(Value::String(v)) if !v.is_empty() => {
                self.role_named(&v, By::Arn).into_iter().collect()
            }
            None if o.is_unknown(&annotation) || o.is_unknown(&at("annotations")) => self
                .referenced(o, "metadata", ROLE)
                .into_iter()
                .map(|r| r.address.to_string())
                .collect(),
            _ => Vec::new(),
        };
        for role in roles {
            add(out, &role, w.clone());
        }
    }
}

/// A workload of `o`: its name from `attr` where known and not sensitive.
fn workload(o: &Obj, noun: &'static str, attr: &str, via: Option<String>) -> Workload {
    Workload {
        kind: noun,
        name: shown(o, attr).unwrap_or_else(|| o.address.to_string()),
        address: o.address.to_string(),
        via,
    }
}

/// The value of `attr`, unless it is empty or sensitive.
fn shown(o: &Obj, attr: &str) -> Option<String> {
    o.str(attr)
        .filter(|v| !v.is_empty() && !o.is_sensitive(&[Step::Key(attr)]))
}

/// An instance's `Name` tag, unless it is sensitive.
fn name_tag(o: &Obj) -> Option<String> {
    let path = [Step::Key("tags"), Step::Key("Name")];
    match o.get(&path) {
        Some(Value::String(n)) if !n.is_empty() && !o.is_sensitive(&path) => Some(n),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
