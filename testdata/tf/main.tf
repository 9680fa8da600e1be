terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

provider "aws" {
  region = "eu-west-1"
}

module "ci" {
  for_each = toset(["app", "web"])
  source   = "./modules/ci"
  app      = each.key
}

module "remote" {
  source  = "acme/iam/aws"
  version = "1.2.0"
}

# Its directory is missing on purpose: privdiff warns and locates nothing in it.
module "gone" {
  source = "./modules/gone"
}
