# Merged into aws_iam_role.admin of iam.tf: locations point there, not here.
resource "aws_iam_role" "admin" {
  description = "Break-glass administrator"
}
