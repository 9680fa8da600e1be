variable "app" {
  type = string
}

module "inner" {
  source = "../inner"
  name   = var.app
}

resource "aws_iam_role" "ci" {
  name               = "${var.app}-ci"
  assume_role_policy = data.aws_iam_policy_document.ci_trust.json
}
