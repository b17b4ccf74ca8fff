module "iam" {
  source = "git::ssh://git@github.com/acme/terraform-iam.git?ref=v1.4.0"
}
