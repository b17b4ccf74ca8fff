terraform {
  required_version = ">= 1.6.0"

  required_providers {
    google = {
      source  = "hashicorp/google"
      version = "~> 5.0"
    }
  }
}

provider "google" {
  project = "acme-network"
  region  = "europe-west1"
}

resource "google_compute_network" "main" {
  name = "main"
}
