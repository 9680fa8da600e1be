//! IAM's wildcard matching for action names: `*` matches any run of characters (also none),
//! `?` exactly one; everything else matches itself, ignoring ASCII case.

/// Whether `subject` matches `pattern`. `pattern` must already be ASCII-lower-cased (callers
/// lower-case it once, not once per subject). At worst O(pattern × subject): only the last
/// `*` is ever retried, so there is no exponential backtracking.
pub(crate) fn matches(pattern: &[u8], subject: &[u8]) -> bool {
    let (mut p, mut s) = (0, 0);
    // Where the last `*` was, and how much of the subject it has swallowed so far.
    let mut star: Option<(usize, usize)> = None;
    while s < subject.len() {
        match pattern.get(p) {
            Some(b'*') => {
                star = Some((p, s));
                p += 1;
            }
            Some(&c) if c == b'?' || c == subject[s].to_ascii_lowercase() => {
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

#[cfg(test)]
mod tests {
    use super::matches;

    fn m(p: &str, s: &str) -> bool {
        matches(p.to_ascii_lowercase().as_bytes(), s.as_bytes())
    }

    #[test]
    fn wildcards_as_iam_defines_them() {
        assert!(m("*", ""));
        assert!(m("*", "s3:GetObject"));
        assert!(m("s3:Get*", "s3:GetObject"));
        assert!(m("s3:get*", "S3:GETOBJECT"));
        assert!(m("s3:?etObject", "s3:GetObject"));
        assert!(m("s3:*Object*", "s3:GetObjectAcl"));
        assert!(m("s3:Get*Acl", "s3:GetObjectAcl"));
        assert!(m("*:*", "iam:PassRole"));
        assert!(!m("s3:Get*", "s3:PutObject"));
        assert!(!m("s3:?GetObject", "s3:GetObject"));
        assert!(!m("s3:GetObject", "s3:GetObjectAcl"));
        assert!(!m("s3:Get*Acl", "s3:GetObjectAcls"));
        assert!(!m("", "x"));
        assert!(m("", ""));
    }

    #[test]
    fn many_stars_stay_fast() {
        let subject = "a".repeat(2000);
        let pattern = format!("{}b", "*a".repeat(50));
        assert!(!m(&pattern, &subject));
    }
}
