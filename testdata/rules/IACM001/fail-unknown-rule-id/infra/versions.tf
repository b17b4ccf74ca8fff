terraform {
  required_version = ">= 1.8.0"

  backend "gcs" { // iacm-lint: ignore[IACM-110, IACM111] gcs locks natively
    bucket = "acme-tfstate"
    prefix = "infra"
  }
}
