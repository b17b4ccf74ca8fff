# The bucket every workspace keeps its state in.
resource "google_storage_bucket" "tfstate" {
  name                        = "retail-tfstate"
  location                    = "EU"
  uniform_bucket_level_access = true
}
