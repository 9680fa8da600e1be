//! `iam:PassRole` edges: a caller that may pass a role to new compute it may create and run
//! becomes that role, when the role trusts the compute's service. The compute is that of the
//! `passrole-compute` routes (`providers/aws/routes.rs`), each read for the service that runs
//! as the role it is given.

use super::graph::{only_action, search, Budget, Edge, Graph, Nodes, Unchecked, Via};
use crate::compare::{evaluate, Limits};
use crate::model::route::{Actions, Capability, Route};
use crate::model::vocabulary::Vocabulary;
use crate::model::{Decision, Effect, Request};
use crate::providers::aws::routes::TABLE;
use std::collections::HashMap;
use std::rc::Rc;

/// The action of a `pass-role` edge.
pub const PASS_ROLE: &str = "iam:PassRole";

/// The context key IAM sets on `iam:PassRole` to the service the role is passed to.
const PASSED_TO_SERVICE: &str = "iam:PassedToService";

/// The service principal that runs a route's compute as the role, by the service of its
/// actions.
fn service_of(route: &Route) -> Option<&'static str> {
    let first = route.parts.iter().find_map(|p| match p.actions {
        Actions::Listed(list) => list.first().filter(|a| **a != PASS_ROLE),
        Actions::Catalog(_) => None,
    })?;
    Some(match first.split(':').next()? {
        "ec2" | "autoscaling" => "ec2.amazonaws.com",
        "lambda" => "lambda.amazonaws.com",
        "glue" => "glue.amazonaws.com",
        "cloudformation" => "cloudformation.amazonaws.com",
        "datapipeline" => "datapipeline.amazonaws.com",
        "codebuild" => "codebuild.amazonaws.com",
        "ecs" => "ecs-tasks.amazonaws.com",
        "sagemaker" => "sagemaker.amazonaws.com",
        "apprunner" => "tasks.apprunner.amazonaws.com",
        _ => return None,
    })
}

/// The routes that pass a role to compute, by index in the AWS table, with their service.
pub fn routes() -> Vec<(usize, &'static Route, &'static str)> {
    TABLE
        .routes
        .iter()
        .enumerate()
        .filter(|(_, r)| r.completes == Capability::PassroleCompute)
        .filter_map(|(i, r)| Some((i, r, service_of(r)?)))
        .collect()
}

/// The service a route's compute runs as.
pub fn service(route: usize) -> &'static str {
    service_of(&TABLE.routes[route]).unwrap_or_default()
}

/// What a hop through `route` does, in words: `pass it to a new Lambda function and run it`.
pub fn label(route: usize) -> String {
    let label = TABLE.routes[route].label;
    match label.strip_prefix("pass any role to ") {
        Some(rest) => format!("pass it to {rest}"),
        None => label.to_string(),
    }
}

/// Adds the `pass-role` edges of one side to `graph`.
pub(super) fn edges(
    graph: &mut Graph,
    nodes: &Nodes,
    names: &[Option<String>],
    how: (&dyn Vocabulary, &Limits),
    budget: &mut Budget,
) {
    let routes = routes();
    // The roles each service may assume, and the context of that request.
    let mut services: Vec<&str> = routes.iter().map(|r| r.2).collect();
    services.sort_unstable();
    services.dedup();
    let mut trusting: HashMap<&str, Vec<usize>> = HashMap::new();
    for (n, id) in nodes.ids.iter().enumerate() {
        let (Some(arn), Some(trust)) = (&names[n], &id.side(graph.side).trust) else {
            continue;
        };
        for &service in &services {
            let request = Request {
                principal: format!("Service:{service}"),
                action: super::graph::ASSUME_ROLE.to_string(),
                resource: arn.clone(),
                context: Vec::new(),
            };
            let admits = evaluate(trust, &request) == Decision::Allowed
                || matches!(search(trust, &request, true, how, budget), Ok(Some(_)));
            if admits {
                trusting.entry(service).or_default().push(n);
            }
        }
    }
    if trusting.is_empty() {
        return;
    }
    let pass_role = PASS_ROLE.to_lowercase();
    // `passed[b] == a` once `a` has a pass edge to `b`: one compute route to it is enough.
    let mut passed = vec![usize::MAX; nodes.ids.len()];
    for (a, id) in nodes.ids.iter().enumerate() {
        let permissions = &id.side(graph.side).permissions;
        let passing = only_action(permissions, &pass_role);
        if !passing.statements.iter().any(|s| s.effect == Effect::Allow) {
            continue;
        }
        for &(index, route, service) in &routes {
            let Some(targets) = trusting.get(service) else {
                continue;
            };
            let with = match compute(permissions, route, how, budget) {
                Ok(Some(with)) => with,
                Ok(None) => continue,
                Err(Unchecked) => {
                    graph.unchecked += targets.len();
                    continue;
                }
            };
            for &b in targets.iter().filter(|&&b| b != a) {
                if budget.candidates == 0 {
                    graph.unchecked += 1;
                    continue;
                }
                budget.candidates -= 1;
                let Some(arn) = &names[b] else { continue };
                if passed[b] == a {
                    continue;
                }
                match pass(&passing, arn, service, how, budget) {
                    Ok(Some(context)) => {
                        passed[b] = a;
                        graph.edges[a].push(Edge {
                            to: b,
                            context,
                            needs_caller: true,
                            via: Via::Pass {
                                route: index,
                                with: with.clone(),
                            },
                        })
                    }
                    Ok(None) => {}
                    Err(Unchecked) => graph.unchecked += 1,
                }
            }
        }
    }
}

/// The context of an `iam:PassRole` of `role` to `service` that `passing` allows, if any.
fn pass(
    passing: &crate::model::Scope,
    role: &str,
    service: &str,
    how: (&dyn Vocabulary, &Limits),
    budget: &mut Budget,
) -> Result<Option<Vec<(String, String)>>, Unchecked> {
    let passed = (PASSED_TO_SERVICE.to_string(), service.to_string());
    let mut request = Request {
        principal: String::new(),
        action: PASS_ROLE.to_string(),
        resource: role.to_string(),
        context: vec![passed.clone()],
    };
    if evaluate(passing, &request) == Decision::Allowed {
        return Ok(Some(request.context));
    }
    let Some(found) = search(passing, &request, true, how, budget)? else {
        return Ok(None);
    };
    // The search may name another service; the role goes to this one.
    request.context = found
        .context
        .into_iter()
        .filter(|(k, _)| !k.eq_ignore_ascii_case(PASSED_TO_SERVICE))
        .chain([passed])
        .collect();
    Ok((evaluate(passing, &request) == Decision::Allowed).then_some(request.context))
}

/// One request per part of `route` besides `iam:PassRole` that `permissions` allow, on any
/// resource: the compute the caller may create and run. `None` when a part is not allowed.
fn compute(
    permissions: &crate::model::Scope,
    route: &Route,
    how: (&dyn Vocabulary, &Limits),
    budget: &mut Budget,
) -> Result<Option<Rc<[Request]>>, Unchecked> {
    let mut out = Vec::new();
    for part in route.parts {
        let Actions::Listed(actions) = part.actions else {
            return Ok(None);
        };
        if actions == [PASS_ROLE] {
            continue;
        }
        let mut found = None;
        for action in actions {
            let request = Request {
                principal: String::new(),
                action: action.to_string(),
                resource: String::new(),
                context: Vec::new(),
            };
            let scope = only_action(permissions, &action.to_lowercase());
            if let Some(r) = search(&scope, &request, false, how, budget)? {
                found = Some(r);
                break;
            }
        }
        match found {
            Some(r) => out.push(r),
            None => return Ok(None),
        }
    }
    Ok(Some(out.into()))
}
