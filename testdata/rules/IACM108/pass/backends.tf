terraform {
  backend "gcs" {
    bucket = "acme-platform-tfstate"
    prefix = "network/dev"
  }
}
