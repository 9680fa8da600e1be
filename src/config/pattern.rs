//! The `address` and `identity` selectors of an ignore: a plan address, exactly, or with `*`
//! standing for any run of characters. Addresses are case-sensitive and full of `[`, `"` and
//! `.`, so nothing but `*` is special.

/// A selector as written in the config file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern(String);

impl Pattern {
    pub fn new(text: &str) -> Pattern {
        Pattern(text.to_string())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether `subject` matches the whole pattern. Only the last `*` is ever retried, so the
    /// cost stays O(pattern × subject) whatever the pattern.
    pub fn matches(&self, subject: &str) -> bool {
        let (pattern, subject) = (self.0.as_bytes(), subject.as_bytes());
        let (mut p, mut s) = (0, 0);
        let mut star: Option<(usize, usize)> = None;
        while s < subject.len() {
            match pattern.get(p) {
                Some(b'*') => {
                    star = Some((p, s));
                    p += 1;
                }
                Some(&c) if c == subject[s] => {
                    p += 1;
                    s += 1;
                }
                _ => match star {
                    Some((at, swallowed)) => {
                        p = at + 1;
                        s = swallowed + 1;
                        star = Some((at, s));
                    }
                    None => return false,
                },
            }
        }
        pattern[p..].iter().all(|&c| c == b'*')
    }
}

#[cfg(test)]
mod tests {
    use super::Pattern;

    fn m(p: &str, s: &str) -> bool {
        Pattern::new(p).matches(s)
    }

    #[test]
    fn exact_or_with_stars() {
        assert!(m("aws_iam_role.ci", "aws_iam_role.ci"));
        assert!(!m("aws_iam_role.ci", "aws_iam_role.ci2"));
        assert!(!m("aws_iam_role.ci", "module.a.aws_iam_role.ci"));
        assert!(m("*aws_iam_role.ci", "module.a.aws_iam_role.ci"));
        assert!(m("aws_iam_role.*", "aws_iam_role.ci"));
        assert!(m(
            "module.*.aws_iam_role.app[\"x\"]",
            "module.b.aws_iam_role.app[\"x\"]"
        ));
        assert!(m("*", ""));
        assert!(m("a*b*c", "a-b-b-c"));
        assert!(!m("a*b*c", "a-b-b-d"));
    }

    #[test]
    fn only_the_star_is_special_and_case_counts() {
        assert!(!m("aws_iam_role.c?", "aws_iam_role.ci"));
        assert!(m("aws_iam_role.c?", "aws_iam_role.c?"));
        assert!(!m("AWS_IAM_ROLE.ci", "aws_iam_role.ci"));
    }
}
