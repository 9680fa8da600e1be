# Does not parse on purpose: privdiff skips it with one warning.
resource "aws_iam_role" "broken" {
  name =
}
