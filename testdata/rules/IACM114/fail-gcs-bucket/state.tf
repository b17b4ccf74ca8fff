resource "google_storage_bucket" "state" {
  name                        = "acme-platform-tfstate"
  location                    = "EU"
  uniform_bucket_level_access = true
}
