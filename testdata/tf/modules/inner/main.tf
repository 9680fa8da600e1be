# This file has CRLF line endings (see .gitattributes): lines must count the same.
variable "name" {
  type = string
}

variable "enabled" {
  type    = bool
  default = true
}

resource "aws_iam_role" "deployer" {
  count = var.enabled ? 1 : 0
  name  = "${var.name}-deployer"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "codebuild.amazonaws.com" }
    }]
  })
}

resource "aws_iam_role_policy" "deployer" {
  count = var.enabled ? 1 : 0
  name  = "deploy"
  role  = aws_iam_role.deployer[0].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = var.name == "app" ? "s3:*" : "s3:GetObject"
      Resource = "arn:aws:s3:::acme-${var.name}-artifacts/*"
    }]
  })
}
