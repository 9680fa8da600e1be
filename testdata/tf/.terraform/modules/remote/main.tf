resource "aws_iam_policy" "this" {
  name = "remote-readonly"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["iam:Get*", "iam:List*"]
      Resource = "*"
    }]
  })
}

module "sub" {
  source = "./modules/sub"
}
