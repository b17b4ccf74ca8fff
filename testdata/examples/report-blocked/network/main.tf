provider "google" {
  project = var.project
  region  = "europe-west1"
}

variable "project" {
  description = "GCP project of the shared VPC"
  type        = string
}

resource "google_compute_network" "shared" {
  name                    = "retail-shared"
  auto_create_subnetworks = false
}

resource "google_compute_subnetwork" "app" {
  name          = "retail-app"
  ip_cidr_range = "10.20.0.0/20"
  region        = "europe-west1"
  network       = google_compute_network.shared.id
}
