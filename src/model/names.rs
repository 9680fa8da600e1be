//! What a plan calls things, so that an example request names them as the plan does.
//!
//! A witness may be any request of the set it stands for. Where a policy leaves a resource
//! open, the request that reads best is one on a resource the reviewer knows: the bucket, role
//! or function the plan itself manages or reads, in the plan's own partition, region and
//! account. Where the plan names nothing that fits, an example says so with a visibly marked
//! placeholder (`<object-name>`), never with a made-up value that looks real.

use std::collections::BTreeMap;

/// The names a plan gives, for examples.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlanNames {
    /// What the plan says a catalog placeholder stands for, where it says one thing:
    /// `Partition` → `aws`, `Region` → `eu-west-1`, `Account` → `111122223333`.
    pub places: BTreeMap<String, String>,
    /// Resources the plan manages or reads, as requests name them (ARNs), by the service
    /// field of the name, in plan order; at most [`PlanNames::PER_SERVICE`] each.
    pub resources: BTreeMap<String, Vec<String>>,
}

impl PlanNames {
    /// Enough to find one that fits a pattern; each is tried against every pattern compared.
    pub const PER_SERVICE: usize = 24;

    /// The value the plan gives placeholder `name`, if it gives one.
    pub fn place(&self, name: &str) -> Option<&str> {
        self.places.get(name).map(String::as_str)
    }

    /// The resources of `service` the plan names.
    pub fn of_service(&self, service: &str) -> &[String] {
        self.resources.get(service).map_or(&[], Vec::as_slice)
    }

    /// Adds a resource name under its service, unless that service has enough.
    pub fn add(&mut self, service: &str, name: String) {
        let list = match self.resources.get_mut(service) {
            Some(list) => list,
            None => self.resources.entry(service.to_string()).or_default(),
        };
        if list.len() < Self::PER_SERVICE && !list.contains(&name) {
            list.push(name);
        }
    }

    /// Whether `service` has as many names as are kept.
    pub fn full(&self, service: &str) -> bool {
        self.of_service(service).len() >= Self::PER_SERVICE
    }
}

/// `ObjectName` → `<object-name>`: a catalog placeholder as a visibly marked example value.
/// Names that say how they are written read as the name they are: IAM's `RoleNameWithPath`
/// (`<role-name>`), SSM's `ParameterNameWithoutLeadingSlash` (`<parameter-name>`).
pub fn marked(placeholder: &str) -> String {
    let name = ["WithPath", "WithoutLeadingSlash"]
        .iter()
        .find_map(|s| placeholder.strip_suffix(s))
        .unwrap_or(placeholder);
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::from("<");
    for (i, &c) in chars.iter().enumerate() {
        // A word starts at a capital after a small letter or digit (`NatGateway`), or at the
        // last capital of a run that a small letter follows (`DBInstance`).
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let next = chars.get(i + 1);
        let starts = c.is_ascii_uppercase()
            && prev.is_some_and(|p| {
                p.is_ascii_lowercase()
                    || p.is_ascii_digit()
                    || (p.is_ascii_uppercase() && next.is_some_and(|n| n.is_ascii_lowercase()))
            });
        if starts {
            out.push('-');
        }
        out.push(c.to_ascii_lowercase());
    }
    out.push('>');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_read_as_marked_words() {
        assert_eq!(marked("ObjectName"), "<object-name>");
        assert_eq!(marked("RoleNameWithPath"), "<role-name>");
        assert_eq!(marked("NatGatewayId"), "<nat-gateway-id>");
        assert_eq!(
            marked("ParameterNameWithoutLeadingSlash"),
            "<parameter-name>"
        );
        assert_eq!(marked("Account"), "<account>");
        assert_eq!(marked("DBInstanceName"), "<db-instance-name>");
    }

    #[test]
    fn names_are_kept_per_service_and_capped() {
        let mut n = PlanNames::default();
        for i in 0..40 {
            n.add("s3", format!("arn:aws:s3:::b{i}"));
        }
        n.add("s3", "arn:aws:s3:::b0".into());
        assert_eq!(n.of_service("s3").len(), PlanNames::PER_SERVICE);
        assert!(n.of_service("iam").is_empty());
    }
}
