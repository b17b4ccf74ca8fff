terraform {
  required_version = ">= 1.6.0"

  required_providers {
    harness = {
      source  = "harness/harness"
      version = "~> 0.30"
    }
    google = {
      source  = "hashicorp/google"
      version = "~> 5.20"
    }
  }
}
