variable "name" {
  type = string
}

resource "google_storage_bucket" "assets" {
  name     = "${var.name}-assets"
  location = "EU"
}
