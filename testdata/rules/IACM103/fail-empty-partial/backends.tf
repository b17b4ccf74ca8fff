terraform {
  # Partial configuration: the values come from the workspace.
  backend "s3" {}
}
