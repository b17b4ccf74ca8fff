terraform {
  backend "s3" {}
}

resource "google_storage_bucket" "assets" {
  name     = "acme-assets"
  location = "EU"
}
