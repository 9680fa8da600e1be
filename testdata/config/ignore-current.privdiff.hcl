# PD023 does not fire: the same ignore, on its last day (tests run with PRIVDIFF_TODAY=2026-06-15),
# still suppresses the PD001 finding of ci-role-widened.json.
ignore {
  rule     = "PD001"
  identity = "aws_iam_role.ci"
  reason   = "CI needs this until the Q2 migration"
  expires  = "2026-06-15"
}
