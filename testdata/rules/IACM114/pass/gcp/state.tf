resource "google_storage_bucket" "state" {
  name     = "acme-gcp-tfstate"
  location = "EU"

  versioning {
    enabled = true
  }
}
