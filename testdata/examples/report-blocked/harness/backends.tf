terraform {
  backend "gcs" {
    bucket = "retail-tfstate"
    prefix = "harness/platform"
  }
}
