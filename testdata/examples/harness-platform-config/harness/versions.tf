terraform {
  required_version = ">= 1.8.0"

  required_providers {
    harness = {
      source  = "harness/harness"
      version = "~> 0.35"
    }
  }
}
