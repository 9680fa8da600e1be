# An example .privdiff.hcl: put it at the root of the repository (privdiff reads ./.privdiff.hcl
# from the directory it runs in) or pass it with --config FILE. Every field is optional.
# docs/config.md describes each one; a test loads this file, so it stays valid.

# Exit with 1 when a finding that is not ignored is of this severity or above. One of never,
# info, low, medium, high (the default), critical, widened, unverifiable. --fail-on wins.
fail_on = "high"

# Accounts whose principals are trusted, added to --trusted-account.
trusted_accounts = ["111122223333", "444455556666"]

# The tag and label keys that name an identity's owner, in the order tried (any case).
owner_tags = ["owner", "team", "owning-team"]

# Where the rules' pages are: the comment links each rule code to URL/CODE.md, SARIF gives the
# page as the rule's helpUri. --rules-url wins; the GitHub Action passes its own repository's.
# rules_url = "https://github.com/OWNER/privdiff/blob/v0.1.0/docs/rules"

# Report every new service wildcard (s3:*, iam:*...) as high rather than medium.
rule "PD012" {
  severity = "high"
}

# New identities are reviewed elsewhere: drop PD004 findings altogether.
rule "PD004" {
  enabled = false
}

# Accept one finding, with a reason and a date to look at it again. A finding must match every
# selector given (rule, address, identity); address and identity take * wildcards.
ignore {
  rule     = "PD001"
  identity = "aws_iam_role.ci"
  reason   = "CI needs this until the Q2 migration"
  expires  = "2027-03-01"
}

# Any finding on the sandbox module's identities, with no end date.
ignore {
  identity = "module.sandbox.*"
  reason   = "sandbox account: nothing in it touches production"
}

# No identity may both approve and start a release.
sod "deploy-and-approve" {
  actions = [
    ["codepipeline:PutApprovalResult"],
    ["codepipeline:StartPipelineExecution", "codepipeline:UpdatePipeline"],
  ]
  severity = "high"
}
