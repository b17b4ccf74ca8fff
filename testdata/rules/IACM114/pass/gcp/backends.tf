terraform {
  backend "gcs" {
    bucket = "acme-gcp-tfstate"
    prefix = "network/dev"
  }
}
