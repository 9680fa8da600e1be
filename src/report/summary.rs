//! The report's counts: verdicts over identities and resources, exposure over reach entries.

use super::{IdentityReport, PrincipalClass, Reach};
use crate::model::Verdict;
use serde::Serialize;

#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Summary {
    pub identities: usize,
    pub widened: usize,
    pub narrowed: usize,
    pub unchanged: usize,
    pub unverifiable: usize,
    pub created: usize,
    pub deleted: usize,
    /// The same counts over `resources[]`.
    pub resources: Counts,
    /// `reach[]` entries whose principal is public (`class` `public`).
    pub public_reach: usize,
    /// `reach[]` entries whose principal is in an account that is neither the plan's own nor
    /// trusted (`class` `foreign-account`).
    pub foreign_reach: usize,
}

/// Verdict counts over a list of subjects.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Counts {
    pub total: usize,
    pub widened: usize,
    pub narrowed: usize,
    pub unchanged: usize,
    pub unverifiable: usize,
    pub created: usize,
    pub deleted: usize,
}

impl Counts {
    pub fn of(subjects: &[IdentityReport]) -> Counts {
        let mut c = Counts {
            total: subjects.len(),
            ..Counts::default()
        };
        for s in subjects {
            *match s.verdict {
                Verdict::Widened => &mut c.widened,
                Verdict::Narrowed => &mut c.narrowed,
                Verdict::Unchanged => &mut c.unchanged,
                Verdict::Unverifiable => &mut c.unverifiable,
                Verdict::Created => &mut c.created,
                Verdict::Deleted => &mut c.deleted,
            } += 1;
        }
        c
    }
}

impl Summary {
    /// The counts of a report's identities, resources and reach entries.
    pub fn of(
        identities: &[IdentityReport],
        resources: &[IdentityReport],
        reach: &[Reach],
    ) -> Summary {
        let counts = Counts::of(identities);
        let class = |c: PrincipalClass| reach.iter().filter(|r| r.class == c).count();
        Summary {
            identities: counts.total,
            widened: counts.widened,
            narrowed: counts.narrowed,
            unchanged: counts.unchanged,
            unverifiable: counts.unverifiable,
            created: counts.created,
            deleted: counts.deleted,
            resources: Counts::of(resources),
            public_reach: class(PrincipalClass::Public),
            foreign_reach: class(PrincipalClass::ForeignAccount),
        }
    }
}
