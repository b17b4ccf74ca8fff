terraform {
  backend "gcs" {
    bucket = "retail-tfstate"
    prefix = "network/prod"
  }
}
