# Used to inspect state on a laptop; must not reach the pipeline.
terraform {
  backend "local" {}
}
