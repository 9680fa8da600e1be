use crate::model::usage::Workloads;
use crate::plan::refs::Config;
use serde_json::{json, Value};

/// A resource the plan creates, with `unknown` its after-unknown marks.
fn created(address: &str, after: Value, unknown: Value) -> Value {
    let (kind, name) = address.split_once('.').unwrap();
    json!({"address": address, "mode": "managed", "type": kind, "name": name,
           "change": {"actions": ["create"], "before": null, "after": after,
                      "after_unknown": unknown}})
}

/// A resource the plan leaves as it is.
fn kept(address: &str, values: Value) -> Value {
    let (kind, name) = address.split_once('.').unwrap();
    json!({"address": address, "mode": "managed", "type": kind, "name": name,
           "change": {"actions": ["no-op"], "before": values, "after": values}})
}

/// The after side's workloads of a plan of `changes` and the resources' `expressions`.
fn workloads(changes: Value, expressions: Value) -> Workloads {
    let resources: Vec<Value> = expressions
        .as_object()
        .unwrap()
        .iter()
        .map(|(address, e)| {
            let (kind, name) = address.split_once('.').unwrap();
            json!({"address": address, "mode": "managed", "type": kind, "name": name, "expressions": e})
        })
        .collect();
    let plan = json!({"format_version": "1.2", "planned_values": {},
                      "configuration": {"root_module": {"resources": resources}},
                      "resource_changes": changes});
    let bytes = serde_json::to_vec(&plan).unwrap();
    let plan = crate::plan::load(&bytes).unwrap();
    let config = Config::parse(plan.configuration);
    let found = super::super::extract(&plan, config.as_ref()).unwrap();
    found.workloads[1].clone()
}

fn names(w: &Workloads, role: &str) -> Vec<String> {
    w.get(role)
        .map(|l| {
            l.iter()
                .map(|w| match &w.via {
                    Some(via) => format!("{}: {} ({via})", w.kind, w.name),
                    None => format!("{}: {}", w.kind, w.name),
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn functions_instances_and_tasks_run_as_their_roles() {
    let role = json!({"name": "app", "arn": "arn:aws:iam::111122223333:role/app",
                      "assume_role_policy": "{}"});
    let w = workloads(
        json!([
            kept("aws_iam_role.app", role),
            created(
                "aws_lambda_function.orders",
                json!({"function_name": "orders-api", "role": "arn:aws:iam::111122223333:role/app"}),
                json!({})
            ),
            created(
                "aws_iam_instance_profile.worker",
                json!({"name": "worker", "role": "app"}),
                json!({"arn": true})
            ),
            created(
                "aws_instance.w",
                json!({"tags": {"Name": "worker-1"}}),
                json!({"iam_instance_profile": true})
            ),
            created(
                "aws_ecs_task_definition.t",
                json!({"family": "billing", "execution_role_arn": "arn:aws:iam::111122223333:role/app"}),
                json!({"task_role_arn": true})
            ),
            created(
                "aws_lambda_function.other",
                json!({"function_name": "other", "role": "arn:aws:iam::111122223333:role/elsewhere"}),
                json!({})
            ),
        ]),
        json!({
            "aws_instance.w": {"iam_instance_profile": {"references": ["aws_iam_instance_profile.worker.name", "aws_iam_instance_profile.worker"]}},
            "aws_ecs_task_definition.t": {"task_role_arn": {"references": ["aws_iam_role.app.arn", "aws_iam_role.app"]}},
        }),
    );
    assert_eq!(
        names(&w, "aws_iam_role.app"),
        [
            "Lambda function: orders-api",
            "EC2 instance: worker-1 (instance profile worker)",
            "ECS task definition: billing (task role)",
            "ECS task definition: billing (execution role)",
        ]
    );
    // A role outside the plan is keyed as grants to it are.
    assert_eq!(
        names(&w, "external:aws_iam_role/elsewhere"),
        ["Lambda function: other"]
    );
}

#[test]
fn a_service_account_annotated_for_irsa_runs_as_the_role() {
    let w = workloads(
        json!([
            created(
                "aws_iam_role.api",
                json!({"name": "api", "assume_role_policy": "{}"}),
                json!({"arn": true})
            ),
            created(
                "kubernetes_service_account.api",
                json!({"metadata": [{"name": "api", "namespace": "payments", "annotations": null}]}),
                json!({"metadata": [{"annotations": true}]})
            ),
            created(
                "aws_eks_pod_identity_association.p",
                json!({"namespace": "jobs", "service_account": "runner"}),
                json!({"role_arn": true})
            ),
        ]),
        json!({
            "kubernetes_service_account.api": {"metadata": [{"annotations": {"references": ["aws_iam_role.api.arn", "aws_iam_role.api"]}}]},
            "aws_eks_pod_identity_association.p": {"role_arn": {"references": ["aws_iam_role.api.arn", "aws_iam_role.api"]}},
        }),
    );
    assert_eq!(
        names(&w, "aws_iam_role.api"),
        [
            "Kubernetes service account (IRSA): payments/api",
            "EKS pod identity: jobs/runner",
        ]
    );
}
