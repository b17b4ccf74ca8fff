terraform {
  backend "gcs" {
    bucket = "acme-platform-tfstate"
    prefix = "network/dev"
  }
}

provider "google" {
  project = var.project_id
  region  = var.region
}

resource "google_compute_network" "main" {
  name                    = "${var.environment}-network"
  auto_create_subnetworks = false
}
