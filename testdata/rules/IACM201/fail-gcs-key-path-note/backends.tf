terraform {
  backend "gcs" {
    bucket      = "acme-tfstate"
    prefix      = "logs"
    credentials = "keys/terraform-sa.json"
  }
}
